from django.utils import timezone

from events.models import EventPage
from retex.visibility import pages_visible_to


def events_upcoming(*, user, limit: int = 3):
    """Events not yet over that this person may see, soonest first."""
    pages = pages_visible_to(EventPage.objects.all(), user=user)
    return list(pages.filter(end__gte=timezone.now()).order_by("start")[:limit])


def events_upcoming_dependencies() -> tuple[str, ...]:
    """What the home page's next events show (`home_cache_dependencies`):
    events, not their seats left (a registration leaves the home page)."""
    return ("kind:events.eventpage",)
