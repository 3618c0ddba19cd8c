"""The agenda (`/evenements/`) and the public feed share these filters.

Filters come from the query string (`kind`, `theme`, `audience`, `format`,
`region`, `month`) and combine. A value that does not exist is reported in French
next to its field and ignored, so an old or hand-edited link still shows the
agenda, never an error page.

The agenda reads each page of events in one query, with the number of confirmed
registrations counted by a subquery: the cost does not grow with the number of
events shown.
"""

import datetime
import re
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import (
    Audience,
    EventKind,
    EventPage,
    Registration,
    RegistrationStatus,
)
from events.registration import registration_closes_at
from members.territories import Region
from retex.links import absolute_url
from retex.page_cache import depends_on
from retex.pagination import paginate
from retex.visibility import pages_visible_to

PAST = "passes"
RECENT_DAYS_IN_FEED = 30
FILTER_NAMES = ("kind", "theme", "audience", "format", "region", "month")
# What the public feed accepts: the month and the period make no sense there.
FEED_FILTER_NAMES = ("kind", "theme", "audience", "format", "region")


FORMAT_CHOICES = [
    ("presentiel", _("En présentiel")),
    ("en-ligne", _("En ligne")),
]
MONTH_RE = re.compile(r"(?P<year>20\d\d)-(?P<month>0[1-9]|1[0-2])")
IGNORED = _("ce filtre n'est pas appliqué.")


def _choice(label, choices, unknown, everything=None):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", everything or _("Tous")), *choices],
        error_messages={"invalid_choice": format_lazy("{} : {}", unknown, IGNORED)},
    )


class AgendaFilterForm(forms.Form):
    kind = _choice(_("Type"), EventKind.choices, _("Type d'événement inconnu"))
    theme = _choice(_("Thème"), [], _("Thème inconnu"))
    audience = _choice(_("Public"), Audience.choices, _("Public inconnu"))
    format = _choice(_("Format"), FORMAT_CHOICES, _("Format inconnu"))
    region = _choice(
        _("Région"), Region.choices, _("Région inconnue"), everything=_("Toutes")
    )
    month = forms.CharField(
        label=_("Mois"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"}),
    )

    def __init__(self, data, *, themes=None, names=FILTER_NAMES):
        # Only the filters present, so that an empty query string is valid.
        data = {name: data.get(name, "").strip() for name in names if data.get(name)}
        super().__init__(data)
        for name in set(self.fields) - set(names):
            del self.fields[name]
        if "theme" in self.fields:
            if themes is None:
                from retex.models import Theme

                themes = Theme.objects.values_list("slug", "name")
            self.fields["theme"].choices = [("", _("Tous")), *themes]

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        match = MONTH_RE.fullmatch(value)
        if not match:
            raise forms.ValidationError(
                format_lazy(
                    "{} : {}",
                    _("Indiquez un mois sous la forme AAAA-MM (par exemple 2026-03)"),
                    IGNORED,
                )
            )
        return int(match["year"]), int(match["month"])

    @property
    def applied(self) -> dict:
        """The valid, non-empty filters (what the list shows)."""
        if not self.is_valid():
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs.update(
                        {
                            "aria-invalid": "true",
                            "aria-describedby": f"id_{name}-error",
                        }
                    )
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value and name not in self.errors
        }

    def query(self, **extra) -> str:
        """The query string of the applied filters, for links that keep them."""
        pairs = [(name, self.data[name]) for name in self.applied]
        pairs += [(name, value) for name, value in extra.items() if value]
        return urlencode(pairs)


def _attrs_html(attrs: dict) -> str:
    """Django's `widgets/attrs.html`: False leaves the attribute out, True
    writes its name alone."""
    return "".join(
        format_html(" {}", name)
        if value is True
        else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


def widget_html(bound) -> SafeString:
    """`{{ field }}` for a select or an input, written here instead of through
    Django's widget templates (a template rendered per option: most of the
    filter form's cost). Same markup; other widgets go through Django."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        options = [
            format_html(
                '\n  <option value="{}"{}>{}</option>',
                option["value"],
                mark_safe(_attrs_html(option["attrs"])),  # noqa: S308
                option["label"],
            )
            for _group, group_options, _index in context["optgroups"]
            for option in group_options
        ]
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            context["name"],
            mark_safe(_attrs_html(context["attrs"])),  # noqa: S308
            mark_safe("".join(options)),  # noqa: S308 (each one escaped above)
        )
    if isinstance(widget, forms.TextInput):
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        value = context["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            context["type"],
            context["name"],
            format_html(' value="{}"', value) if value is not None else "",
            mark_safe(_attrs_html(context["attrs"])),  # noqa: S308
        )
    return bound.as_widget()


def _month_bounds(year: int, month: int):
    paris = timezone.get_default_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=paris)
    if month == 12:
        end = datetime.datetime(year + 1, 1, 1, tzinfo=paris)
    else:
        end = datetime.datetime(year, month + 1, 1, tzinfo=paris)
    return start, end


def apply_filters(queryset, filters: dict):
    """Narrow an EventPage queryset by already validated filters."""
    if kind := filters.get("kind"):
        queryset = queryset.filter(kind=kind)
    if theme := filters.get("theme"):
        # One theme per event at most matches a slug: the join duplicates no row.
        queryset = queryset.filter(themes__slug=theme)
    if audience := filters.get("audience"):
        queryset = queryset.filter(audience=audience)
    if event_format := filters.get("format"):
        queryset = queryset.filter(online=event_format == "en-ligne")
    if region := filters.get("region"):
        queryset = queryset.filter(region=region)
    if month := filters.get("month"):
        start, end = _month_bounds(*month)
        queryset = queryset.filter(start__lt=end, end__gte=start)
    return queryset


def with_confirmed_count(queryset):
    confirmed = (
        Registration.objects.filter(
            event=OuterRef("pk"), status=RegistrationStatus.CONFIRMED
        )
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        confirmed_count=Coalesce(
            Subquery(confirmed, output_field=IntegerField()), Value(0)
        )
    )


def seats_label(event, *, now) -> str | None:
    """What the card says about seats, or None (unlimited, no online registration)."""
    if event.cancelled:
        return str(_("Annulé"))
    if event.end < now or not event.registration_enabled:
        return None
    if now >= registration_closes_at(event):
        return str(_("Inscriptions closes"))
    if event.capacity is None:
        return None
    left = max(0, event.capacity - event.confirmed_count)
    if left:
        return ngettext(
            "%(count)s place restante", "%(count)s places restantes", left
        ) % {"count": left}
    if event.waitlist_enabled:
        return str(_("Liste d'attente"))
    return str(_("Complet"))


def agenda_context(request, index) -> dict:
    """Context of the agenda page: filters, one page of events, feed links."""
    now = timezone.now()
    past = request.GET.get("periode") == PAST
    form = AgendaFilterForm(request.GET)
    filters = form.applied
    # Every event: events live under the agenda only (`parent_page_types`),
    # which exists once (`max_count`), as the public feed reads them. Not
    # `child_of(index)`: its path condition makes SQLite scan the whole page
    # table and sort, where without it the start index is walked and the
    # first page read at once (50 ms → 0.5 ms at 2,000 events).
    events = pages_visible_to(EventPage.objects.defer_streamfields(), user=request.user)
    events = apply_filters(events, filters)
    if past:
        events = events.filter(end__lt=now).order_by("-start", "-pk")
    else:
        events = events.filter(end__gte=now).order_by("start", "pk")
    events = with_confirmed_count(events)
    items = paginate(request, events)
    items.object_list = list(items.object_list)
    for event in items.object_list:
        event.seats_label = seats_label(event, now=now)
    # The seats of the events shown, not of every event: a registration to an
    # event on another page (or filtered out) leaves this one in the cache.
    depends_on(request, *(f"seats:{event.pk}" for event in items.object_list))
    feed_query = urlencode(
        [(name, form.data[name]) for name in FEED_FILTER_NAMES if name in filters]
    )
    feed_path = reverse("events_agenda_ics") + (f"?{feed_query}" if feed_query else "")
    feed_url = absolute_url(feed_path)
    return {
        "past": past,
        "items": items,
        "filter_form": form,
        "filtered": bool(filters),
        "pagination_query": form.query(periode=PAST if past else ""),
        "period_query": form.query(),
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }


def feed_events(request, *, user=None, with_filtered: bool = False):
    """Events of the public feed: upcoming and recent, visible to anyone (drafts
    and restricted pages never, whoever asks), filtered by the query string.
    `with_filtered=True`: (events, whether a filter applies)."""
    from django.contrib.auth.models import AnonymousUser

    filters = {}
    if any(request.GET.get(name) for name in FEED_FILTER_NAMES):
        # No theme asked: no need to read the themes.
        themes = None if request.GET.get("theme") else []
        form = AgendaFilterForm(request.GET, names=FEED_FILTER_NAMES, themes=themes)
        filters = form.applied
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS_IN_FEED)
    events = pages_visible_to(EventPage.objects.all(), user=user or AnonymousUser())
    events = apply_filters(events, filters).filter(end__gte=since)
    events = events.order_by("start", "pk")
    return (events, bool(filters)) if with_filtered else events
