"""iCalendar (RFC 5545) for events: feeds, downloads and email attachments.

One event keeps one UID everywhere (`EventPage.ical_uid`) and its SEQUENCE grows
when its time or place change, so calendar apps update the entry instead of
duplicating it. Times are written in Europe/Paris with an embedded VTIMEZONE
(Outlook needs it).
"""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

PRODID = "-//Retex//Agenda des collectivités//FR"


def _location(event) -> str:
    if event.online:
        return "En ligne"
    parts = [event.venue, event.address, f"{event.postcode} {event.city}".strip()]
    return ", ".join(part for part in parts if part)


def event_components(event) -> list[Event]:
    """One VEVENT per session (same UID, distinguished by RECURRENCE-ID would be
    heavier for calendar apps): a single-session event gives one VEVENT; a
    multi-day training gives one per day, with UIDs suffixed by the session."""
    sessions = list(event.sessions.all()) or [None]
    components = []
    paris = timezone.get_default_timezone()
    for index, session in enumerate(sessions):
        start = session.start if session else event.start
        end = session.end if session else event.end
        component = Event()
        uid = event.ical_uid if len(sessions) == 1 else f"{index + 1}-{event.ical_uid}"
        component.add("uid", uid)
        component.add("dtstamp", timezone.now())
        component.add("dtstart", timezone.localtime(start, paris))
        component.add("dtend", timezone.localtime(end, paris))
        summary = event.title
        if session and session.label:
            summary = f"{event.title} — {session.label}"
        component.add("summary", summary)
        component.add("description", event.lead)
        component.add("location", vText(_location(event)))
        component.add("url", event.get_full_url())
        component.add("sequence", event.sequence)
        component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        if event.last_published_at:
            component.add("last-modified", event.last_published_at)
        components.append(component)
    return components


def event_calendar(
    events, *, method: str | None = None, name: str | None = None
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name or settings.WAGTAIL_SITE_NAME)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        for component in event_components(event):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar
