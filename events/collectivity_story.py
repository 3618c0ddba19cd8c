"""What a collectivity's page (`/membres/<slug>/`) tells of its events: how many
it took part in, counts only (never who came). Declared as a
`collectivity_sections` provider (`retex.declarations`)."""

from django.db.models import Count, Q
from django.utils import timezone

from events.models import EventPage, RegistrationStatus
from retex.visibility import pages_visible_to


def collectivity_events(collectivity, *, user):
    """{"template", "context"} with the numbers of past and upcoming events the
    collectivity's people registered to (confirmed), among the events `user`
    may see; None when there are none. Two queries, whatever the number."""
    now = timezone.now()
    events = pages_visible_to(EventPage.objects.all(), user=user).filter(
        registrations__collectivity=collectivity,
        registrations__status=RegistrationStatus.CONFIRMED,
    )
    counts = events.aggregate(
        past=Count("pk", filter=Q(end__lt=now), distinct=True),
        upcoming=Count("pk", filter=Q(end__gte=now), distinct=True),
    )
    if not counts["past"] and not counts["upcoming"]:
        return None
    return {"template": "events/includes/collectivity_events.html", "context": counts}
