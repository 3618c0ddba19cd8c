"""The "Mes inscriptions" section of `/mon-espace/`: the person's own registrations,
upcoming then past, in a constant number of queries."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.certificates import certificate_eligible
from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    EventIndexPage,
    Registration,
    RegistrationStatus,
)
from events.registration import cancellation_deadline
from members.my_space import my_space_section

PAST_LIMIT = 30


def _waiting_ahead():
    """How many people wait before this registration on the same event."""
    ahead = (
        Registration.objects.filter(
            event_id=OuterRef("event_id"), status=RegistrationStatus.WAITLISTED
        )
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), 0)


def my_registrations(user, *, now=None) -> dict:
    """{"upcoming": [...], "past": [...]}: registrations of `user` only, each with
    `position`, `show_online_link`, `can_cancel` and `certificate` set."""
    now = now or timezone.now()
    own = Registration.objects.filter(user=user).select_related("event")
    upcoming = list(
        own.filter(status__in=ACTIVE_REGISTRATION_STATUSES, event__end__gte=now)
        .annotate(ahead=_waiting_ahead())
        .order_by("event__start", "pk")
    )
    for registration in upcoming:
        event = registration.event
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.position = None if confirmed else registration.ahead + 1
        registration.show_online_link = bool(
            confirmed and event.online and event.online_link and not event.cancelled
        )
        registration.can_cancel = event.live and now < cancellation_deadline(event)
    past = list(
        own.filter(status=RegistrationStatus.CONFIRMED, event__end__lt=now).order_by(
            "-event__start", "-pk"
        )[:PAST_LIMIT]
    )
    for registration in past:
        registration.certificate = certificate_eligible(registration, now=now)
    return {"upcoming": upcoming, "past": past}


@my_space_section
def registrations_section(request):
    if not request.user.is_authenticated:
        return None
    context = my_registrations(request.user)
    context["agenda"] = EventIndexPage.objects.live().first()
    return {"template": "events/my_space_registrations.html", "context": context}
