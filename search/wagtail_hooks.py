"""What editors get for search in the Wagtail admin.

- "Synonymes": the words of the field that mean the same (EPCI ↔
  intercommunalité), a snippet every search backend applies when it reads a query.
- "Recherches des membres": what people search for, and what they do not find,
  over the last 30 or 90 days, exportable as CSV. Only the words are kept, never
  who searched.
"""

import csv
import datetime

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.analysis import terms as analysed_terms
from search.models import SearchQueryStat, Synonym

# --- Synonyms ----------------------------------------------------------------------

MAX_TERM_LENGTH = 60


class SynonymForm(WagtailAdminModelForm):
    """At least two terms, each short and searchable, none already elsewhere;
    stored as "a, b, c"."""

    class Meta:
        model = Synonym
        fields = ["terms"]

    def clean_terms(self):
        raw = self.cleaned_data.get("terms") or ""
        parts = [" ".join(part.split()) for part in raw.split(",")]
        errors = []
        if any(not part for part in parts) and len(parts) > 1:
            errors.append(_("Un des termes est vide : retirez la virgule en trop."))
        parts = [part for part in parts if part]
        if len(parts) < 2:
            errors.append(
                _(
                    "Indiquez au moins deux termes équivalents, séparés par des "
                    "virgules (par exemple : EPCI, intercommunalité)."
                )
            )
            raise ValidationError(errors)
        seen = {}
        for part in parts:
            if len(part) > MAX_TERM_LENGTH:
                errors.append(
                    _("« %(term)s » est trop long (%(limit)d caractères au plus).")
                    % {"term": part[:MAX_TERM_LENGTH] + "…", "limit": MAX_TERM_LENGTH}
                )
                continue
            analysed = tuple(analysed_terms(part))
            if not analysed:
                errors.append(
                    _(
                        "« %(term)s » ne contient aucun mot recherchable (seulement "
                        "des mots courants comme « de » ou « la », ou de la "
                        "ponctuation)."
                    )
                    % {"term": part}
                )
            elif analysed in seen:
                errors.append(
                    _(
                        "« %(first)s » et « %(second)s » sont déjà trouvés l'un par "
                        "l'autre (accents, pluriels et tirets sont ignorés) : "
                        "gardez-en un seul."
                    )
                    % {"first": seen[analysed], "second": part}
                )
            else:
                seen[analysed] = part
        errors.extend(self._already_elsewhere(seen))
        if errors:
            raise ValidationError(errors)
        return ", ".join(parts)

    def _already_elsewhere(self, seen: dict) -> list[str]:
        others = Synonym.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        errors = []
        for other in others:
            for term in other.term_list():
                analysed = tuple(analysed_terms(term))
                if analysed in seen:
                    errors.append(
                        _("« %(term)s » figure déjà dans le synonyme « %(other)s ».")
                        % {"term": seen.pop(analysed), "other": other.terms}
                    )
        return errors


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "resubmit"
    menu_label = gettext_lazy("Synonymes")
    menu_name = "synonymes"
    menu_order = 201
    add_to_admin_menu = True
    list_display = [
        Column("terms", label=gettext_lazy("Termes équivalents")),
        Column(
            "term_count",
            label=gettext_lazy("Nombre de termes"),
            accessor=lambda synonym: len(synonym.term_list()),
        ),
    ]
    search_fields = ["terms"]
    ordering = ["terms"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel(
                "terms",
                help_text=gettext_lazy(
                    "Des mots ou expressions qui veulent dire la même chose, séparés "
                    "par des virgules : EPCI, intercommunalité. Une recherche de l'un "
                    "trouve les autres. Une expression de plusieurs mots est cherchée "
                    "telle quelle ; accents, majuscules et pluriels sont ignorés."
                ),
            )
        ],
        base_form_class=SynonymForm,
    )


register_snippet(SynonymViewSet)


# --- Search statistics -------------------------------------------------------------

PERIODS = (30, 90)
TOP_SIZE = 50
STATS_PERMISSION = "search.view_searchquerystat"
LISTS = {
    "top": gettext_lazy("Recherches les plus fréquentes"),
    "sans-resultat": gettext_lazy("Recherches sans résultat"),
}


def can_see_stats(user) -> bool:
    return user.is_active and user.has_perm(STATS_PERMISSION)


def query_stats(days: int, which: str):
    """(query, searches, without_results) summed over the last `days` days, the
    most searched first, or for "sans-resultat" the most often unanswered."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = (
        SearchQueryStat.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("searches"), missed=Sum("without_results"))
    )
    if which == "sans-resultat":
        return rows.filter(missed__gt=0).order_by("-missed", "-total", "query")
    return rows.filter(total__gt=0).order_by("-total", "-missed", "query")


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class SearchStatsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/search_stats.html"
    page_title = gettext_lazy("Recherches des membres")
    header_icon = "search"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Accueil")},
        {"url": "", "label": gettext_lazy("Recherches des membres")},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_see_stats(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def period(self) -> int:
        try:
            days = int(self.request.GET.get("periode", PERIODS[0]))
        except ValueError:
            return PERIODS[0]
        return days if days in PERIODS else PERIODS[0]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            which = request.GET.get("liste")
            return self.csv(which if which in LISTS else "top")
        return super().get(request, *args, **kwargs)

    def csv(self, which: str) -> HttpResponse:
        days = self.period()
        filename = f"recherches-{which}-{days}-jours-{timezone.localdate():%Y-%m-%d}"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, f"{filename}.csv"
        )
        response.write("\ufeff")  # So that spreadsheets read the accents right.
        writer = csv.writer(response)
        writer.writerow([_("Recherche"), _("Recherches"), _("Sans résultat")])
        for row in query_stats(days, which).iterator():
            writer.writerow(
                [_spreadsheet_safe(row["query"]), row["total"], row["missed"]]
            )
        return response

    def get_context_data(self, **kwargs):
        days = self.period()
        base = reverse("search_query_stats")
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "days": days,
                "periods": [
                    {"days": d, "url": f"{base}?periode={d}", "current": d == days}
                    for d in PERIODS
                ],
                "top_size": TOP_SIZE,
                "lists": [
                    {
                        "key": key,
                        "title": title,
                        "rows": list(query_stats(days, key)[:TOP_SIZE]),
                        "export_url": (f"{base}?periode={days}&export=csv&liste={key}"),
                    }
                    for key, title in LISTS.items()
                ],
            }
        )
        return context


@hooks.register("register_admin_urls")
def register_search_stats_urls():
    return [
        path(
            "reports/recherches/",
            SearchStatsView.as_view(),
            name="search_query_stats",
        )
    ]


class SearchStatsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_stats(request.user)


@hooks.register("register_reports_menu_item")
def register_search_stats_menu_item():
    return SearchStatsMenuItem(
        gettext_lazy("Recherches des membres"),
        reverse("search_query_stats"),
        name="recherches-des-membres",
        icon_name="search",
        order=160,
    )


@hooks.register("construct_homepage_panels")
def searches_without_results_panel(request, panels):
    """What members looked for and did not find, over the last 30 days."""
    from retex.admin_panels import Row, SummaryPanel

    if not can_see_stats(request.user):
        return
    missed = query_stats(30, "sans-resultat")[:8]
    panels.append(
        SummaryPanel(
            name="searches-without-results",
            title=_("Recherches sans résultat (30 derniers jours)"),
            rows=[Row(label=row["query"], figure=str(row["missed"])) for row in missed],
            figure_heading=_("Fois"),
            empty_text=_("Aucune recherche sans résultat."),
            more_url=reverse("search_query_stats") + "?periode=30",
            more_label=_("Voir les statistiques de recherche"),
            order=130,
        )
    )
