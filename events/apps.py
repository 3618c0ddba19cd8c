from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Événements")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app shows on shared pages (`retex.declarations`).
    home_sections = {"upcoming_events": "events.selectors.events_upcoming"}
    home_cache_dependencies = {
        "upcoming_events": "events.selectors.events_upcoming_dependencies"
    }
    collectivity_sections = {"events": "events.collectivity_story.collectivity_events"}
    # What a collectivity's cached page depends on for that section: the events
    # it hosts (`retex.page_cache`; `fn(collectivity)` → tags).
    collectivity_cache_dependencies = {
        "events": "events.collectivity_story.collectivity_cache_dependencies"
    }

    def ready(self):
        # "Mes inscriptions" in Mon espace.
        # Updates and cancellations emailed to participants (signals).
        # The event page's routes and personal parts, declared with their views.
        # The public feed's stored VEVENTs kept right on writes (signals).
        from events import feed_entries, my_space, personal_data, signals, views  # noqa: F401

        # "Mon agenda" (the private calendar feed), after "Mes inscriptions".
        from events.feeds import calendar_section
        from members.my_space import my_space_section

        my_space_section(calendar_section)
        declare_cache_dependencies()


def declare_cache_dependencies() -> None:
    """What a write of this app's rows changes on cached pages
    (`retex.page_cache.invalidation`)."""
    from retex.page_cache import declare, declare_invisible

    # Seats left: the event's page and every listing of events (the agenda).
    declare(
        "events.registration",
        lambda registration: (f"seats:{registration.event_id}", "seats"),
        # Reminders and certificates: nothing a page shows.
        bookkeeping=(
            "attended",
            "certificate_code",
            "reminder_sent_at",
            "waitlist_notice_sent_at",
        ),
    )
    declare(
        "events.eventsession",
        lambda session: (f"page:{session.page_id}", "kind:events.eventpage"),
    )
    declare(
        "events.eventpage_themes",
        lambda row: (f"page:{row.eventpage_id}", "kind:events.eventpage"),
    )
    declare_invisible("events.calendartoken")
    # Written with its event, whose save bumps `kind:events.eventpage` (what
    # agenda.ics depends on); `rebuild_event_feed` bumps it itself.
    declare_invisible("events.feedentry")
    # The whole feed's text, emptied in the transaction of every entry write
    # and written again from the entries: what it shows changed with them.
    declare_invisible("events.storedfeed")
