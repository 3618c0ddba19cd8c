"""What the home page shows, gathered from each app's selectors."""

from events.selectors import events_upcoming
from knowledge.selectors import knowledge_latest
from members.selectors import member_stats


def home_sections(*, user) -> dict:
    return {
        "latest_knowledge": knowledge_latest(user=user, limit=3),
        "upcoming_events": events_upcoming(user=user, limit=3),
        "member_stats": member_stats(),
    }
