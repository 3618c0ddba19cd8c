"""The admin dashboard's panel of the next events and how full they are."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import EventPage, RegistrationStatus
from events.registration import can_manage
from retex.admin_panels import Row, SummaryPanel

LIMIT = 6


def fill_label(*, confirmed: int, waitlisted: int, capacity: int | None) -> str:
    """« 18 / 20 (90 %), 3 en attente »; without a limit, « 18 inscrit·es »."""
    if capacity:
        label = _("%(confirmed)s / %(capacity)s (%(rate)s %%)") % {
            "confirmed": confirmed,
            "capacity": capacity,
            "rate": round(100 * confirmed / capacity),
        }
    else:
        label = ngettext(
            "%(confirmed)s inscrit·e, sans limite",
            "%(confirmed)s inscrit·es, sans limite",
            confirmed,
        ) % {"confirmed": confirmed}
    if waitlisted:
        label += ngettext(", %(n)s en attente", ", %(n)s en attente", waitlisted) % {
            "n": waitlisted
        }
    return label


def next_events_panel(user) -> SummaryPanel | None:
    """The next events this person organizes, with their fill rate; None for
    people who organize none (the panel is not shown)."""
    events = (
        EventPage.objects.live()
        .filter(end__gte=timezone.now())
        .annotate(
            confirmed=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
            ),
            waitlisted=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            ),
        )
        .order_by("start")[: LIMIT * 3]
    )
    managed = [event for event in events if can_manage(user, event)][:LIMIT]
    if not managed:
        return None
    rows = [
        Row(
            label=event.title,
            url=reverse("events_registrations", args=[event.pk]),
            detail=formats.date_format(timezone.localtime(event.start), "j F Y, H\\hi"),
            figure=fill_label(
                confirmed=event.confirmed,
                waitlisted=event.waitlisted,
                capacity=event.capacity,
            ),
        )
        for event in managed
    ]
    return SummaryPanel(
        name="next-events",
        title=_("Prochains événements : inscriptions"),
        rows=rows,
        figure_heading=_("Remplissage"),
        empty_text="",
        order=120,
    )
