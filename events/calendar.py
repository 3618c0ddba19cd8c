"""iCalendar (RFC 5545) for events: feeds, downloads and email attachments.

One event keeps one UID everywhere (`EventPage.ical_uid`) and its SEQUENCE grows
when its time or place change (`events.signals`), so calendar apps update the
entry instead of duplicating it. Times are written in Europe/Paris with an
embedded VTIMEZONE (Outlook needs it).

An event with several sessions (a two-day training) gives one VEVENT per
session: the first carries the event's UID, the next ones `2-<uid>`, `3-<uid>`…
(RECURRENCE-ID would tie them together but calendar apps handle irregular
sessions badly), so the event's own UID is in every file about it.

What a VEVENT says is decided once, in `event_properties`; two writers turn it
into text:

- `event_calendar` builds icalendar 7 components (VTIMEZONE through
  `add_missing_timezones`): single-event downloads and email attachments.
- `feed_ical` writes the same properties straight to text, about ten times
  faster, for the feeds, which may hold thousands of events: they read plain
  rows (`feed_rows`), not page objects, in three queries whatever their number.
  The public feed (`agenda.ics`) goes further: each event's VEVENTs are
  written when the event changes and stored (`events.feed_entries`), and the
  feed concatenates them (`stored_feed_ical`, one query), with the feed's own
  DTSTAMP put in.

Tests parse both with icalendar and vobject and check they agree.
"""

import datetime
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress

from retex.links import page_url

PRODID = "-//Retex//Agenda des collectivités//FR"

# Property kinds: how each value is written.
TEXT, URI, LOCAL, UTC, INTEGER, ADDRESS = "text", "uri", "local", "utc", "int", "addr"

_VTIMEZONES: dict[str, bytes] = {}


def location(event) -> str:
    if event.online:
        return "En ligne"
    parts = [event.venue, event.address, f"{event.postcode} {event.city}".strip()]
    return ", ".join(part for part in parts if part)


def session_times(event) -> list[tuple]:
    """(start, end, label) of each session, in order; the event's own bounds when
    it has no session."""
    sessions = getattr(event, "session_rows", None)
    if sessions is None:
        sessions = [
            (s.start, s.end, s.label) for s in event.sessions.all() if s.start and s.end
        ]
    return sessions or [(event.start, event.end, "")]


GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR_URL = "https://outlook.live.com/calendar/0/deeplink/compose"


def external_calendar_links(event) -> dict[str, str]:
    """Addresses that open Google Calendar or Outlook.com on a new entry filled in
    with the event (title, times in UTC, place, lead and page address): plain
    links, followed by the person; the page itself requests nothing from them.
    An event of several sessions spans its first start to its last end there
    (the `.ics` has each session)."""
    from urllib.parse import urlencode

    start = event.start.astimezone(datetime.UTC)
    end = event.end.astimezone(datetime.UTC)
    details = _description(event, page_url(event), None)
    place = location(event)
    google = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
        "location": place,
        "ctz": settings.TIME_ZONE,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details,
        "location": place,
    }
    return {
        "google": f"{GOOGLE_CALENDAR_URL}?{urlencode(google)}",
        "outlook": f"{OUTLOOK_CALENDAR_URL}?{urlencode(outlook)}",
    }


def session_uid(event, index: int) -> str:
    return event.ical_uid if index == 0 else f"{index + 1}-{event.ical_uid}"


def event_uids(event) -> list[str]:
    return [session_uid(event, index) for index in range(len(session_times(event)))]


def _description(event, url: str | None, online_link: str | None) -> str:
    lines = [event.lead.strip()]
    if online_link:
        lines.append(f"Lien de connexion : {online_link}")
    if url:
        lines.append(url)
    return "\n\n".join(line for line in lines if line)


def _organizer() -> tuple:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (f"mailto:{address}", {"CN": name or settings.WAGTAIL_SITE_NAME})


def _attendee(email: str, name: str = "", partstat: str = "ACCEPTED") -> tuple:
    params = {"CN": name} if name else {}
    params.update(ROLE="REQ-PARTICIPANT", PARTSTAT=partstat, RSVP="FALSE")
    return (f"mailto:{email}", params)


def event_properties(
    event,
    *,
    url: str | None,
    dtstamp,
    method: str | None = None,
    online_link: str | None = None,
    attendee: tuple | None = None,
    sequence: int | None = None,
) -> list[list[tuple]]:
    """Per VEVENT of `event`, its properties as (NAME, kind, value).

    `online_link` goes into DESCRIPTION: only for files meant for one confirmed
    participant (their email, their private feed), never for public feeds.
    `method` is the iTIP method of the enclosing calendar (REQUEST, CANCEL): it adds
    ORGANIZER, and ATTENDEE when `attendee` is given as (email, name, partstat), as
    RFC 5546 asks. `sequence` replaces the event's own (see `personal_sequence`).
    """
    paris = timezone.get_default_timezone()
    cancelled = event.cancelled or method == "CANCEL"
    shared = [
        ("DESCRIPTION", TEXT, _description(event, url, online_link)),
        ("LOCATION", TEXT, location(event)),
    ]
    if url:
        shared.append(("URL", URI, url))
    shared += [
        ("SEQUENCE", INTEGER, event.sequence if sequence is None else sequence),
        ("STATUS", TEXT, "CANCELLED" if cancelled else "CONFIRMED"),
        ("TRANSP", TEXT, "OPAQUE"),
    ]
    if event.last_published_at:
        shared.append(("LAST-MODIFIED", UTC, event.last_published_at))
    if method:
        shared.append(("ORGANIZER", ADDRESS, _organizer()))
        if attendee:
            shared.append(("ATTENDEE", ADDRESS, _attendee(*attendee)))
    vevents = []
    for index, (start, end, label) in enumerate(session_times(event)):
        summary = f"{event.title} — {label}" if label else event.title
        if cancelled:
            summary = f"ANNULÉ : {summary}"
        vevents.append(
            [
                ("UID", TEXT, session_uid(event, index)),
                ("DTSTAMP", UTC, dtstamp),
                ("DTSTART", LOCAL, timezone.localtime(start, paris)),
                ("DTEND", LOCAL, timezone.localtime(end, paris)),
                ("SUMMARY", TEXT, summary),
                *shared,
            ]
        )
    return vevents


def _vtimezone_ical(tzid: str) -> bytes:
    if tzid not in _VTIMEZONES:
        _VTIMEZONES[tzid] = Timezone.from_tzid(tzid).to_ical()
    return _VTIMEZONES[tzid]


def _online_link(event, online_links: bool) -> str | None:
    if online_links and event.online and not event.cancelled and event.online_link:
        return event.online_link
    return None


# --- icalendar writer --------------------------------------------------------------


def _component(properties) -> Event:
    component = Event()
    for name, kind, value in properties:
        if kind == ADDRESS:
            address, params = value
            value = vCalAddress(address)
            value.params.update(params)
        component.add(name, value)
    return component


def event_components(event, *, request=None, dtstamp=None, **options) -> list[Event]:
    """The VEVENTs of one event, as icalendar components."""
    return [
        _component(properties)
        for properties in event_properties(
            event,
            url=page_url(event, request),
            dtstamp=dtstamp or timezone.now(),
            **options,
        )
    ]


def event_calendar(
    events,
    *,
    method: str | None = None,
    name: str | None = None,
    request=None,
    online_links: bool = False,
    attendee: tuple | None = None,
    sequence: int | None = None,
) -> Calendar:
    """A VCALENDAR of `events` (EventPage objects, sessions prefetched).

    `online_links=True` writes each event's connection link in its description:
    only for a calendar that one confirmed participant receives.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name or settings.WAGTAIL_SITE_NAME)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    dtstamp = timezone.now()
    for event in events:
        for component in event_components(
            event,
            request=request,
            dtstamp=dtstamp,
            method=method,
            online_link=_online_link(event, online_links),
            attendee=attendee,
            sequence=sequence,
        ):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar


# --- One person's invitation ------------------------------------------------------


def personal_sequence(registration) -> int:
    """SEQUENCE of the invitations one person receives about one event.

    The UID is the event's (one per event everywhere), so a person's calendar
    holds the event once whatever they receive. Each message they get must carry
    a higher SEQUENCE than the previous one, or calendar apps ignore it: the
    event's own sequence (it grows with each change of time or place) plus two
    per registration of that person to that event that was cancelled: `event.
    sequence + 2n`, minus one for the CANCEL of a cancelled registration (n then
    counts it). Register, cancel, register again, cancel again give 0, 1, 2, 3;
    a change or cancellation of the event itself (the event's sequence grows)
    still goes higher than anything the person received before.
    Derived from rows the site keeps anyway (cancelled registrations stay), so
    no counter can drift, and a message sent late by a worker is never newer
    than the one that followed it.
    """
    from events.models import Registration, RegistrationStatus

    cancelled = Registration.objects.filter(
        event_id=registration.event_id,
        user_id=registration.user_id,
        status=RegistrationStatus.CANCELLED,
    ).count()
    sequence = registration.event.sequence + 2 * cancelled
    if registration.status == RegistrationStatus.CANCELLED:
        return sequence - 1
    return sequence


def registration_calendar(registration, *, method: str) -> Calendar:
    """The iTIP message about `registration`'s event for its person: REQUEST
    (ATTENDEE accepted, or tentative while waiting; the connection link only for
    confirmed people) or CANCEL (the event leaves their calendar)."""
    from events.models import RegistrationStatus

    user = registration.user
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    if registration.status == RegistrationStatus.CANCELLED:
        partstat = "DECLINED"
    else:
        partstat = "ACCEPTED" if confirmed else "TENTATIVE"
    return event_calendar(
        [registration.event],
        method=method,
        online_links=confirmed and method == "REQUEST",
        attendee=(user.email, user.get_full_name(), partstat),
        sequence=personal_sequence(registration),
    )


# --- Fast writer for feeds ---------------------------------------------------------


@dataclass
class FeedEvent:
    """What a feed needs of an event, read as plain values (no page object)."""

    pk: int
    translation_key: str
    title: str
    lead: str
    start: datetime.datetime
    end: datetime.datetime
    online: bool
    online_link: str
    venue: str
    address: str
    postcode: str
    city: str
    sequence: int
    cancelled: bool
    last_published_at: datetime.datetime | None
    url_path: str
    url: str | None = None
    session_rows: list = field(default_factory=list)

    @property
    def ical_uid(self) -> str:
        from events.models import EventPage

        return EventPage.ical_uid.fget(self)


FEED_FIELDS = list(FeedEvent.__dataclass_fields__)[:-2]  # Not url, session_rows.


def _url_maker(request):
    """page url_path → full URL on BASE_URL, reading the site root paths once."""
    from wagtail.models import Site

    from retex.links import absolute_url, base_url

    roots = Site.get_site_root_paths()
    serve_prefix = reverse("wagtail_serve", args=("",))
    base = base_url()

    def full_url(url_path: str) -> str | None:
        for _site_id, root_path, _root_url, _language in roots:
            if url_path.startswith(root_path):
                path = serve_prefix + url_path[len(root_path) :]
                if path.startswith("/") and not path.startswith("//"):
                    return base + path  # What absolute_url(path) gives, faster.
                return absolute_url(path)
        return None

    return full_url


def feed_rows(queryset, *, request=None) -> list[FeedEvent]:
    """Plain rows of the events of `queryset` (ordered), with their sessions and
    URLs, in two queries."""
    from events.models import EventSession

    events = [FeedEvent(**row) for row in queryset.values(*FEED_FIELDS)]
    by_pk = {event.pk: event for event in events}
    sessions = (
        EventSession.objects.filter(page_id__in=queryset.values("pk"))
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "start", "end", "label")
    )
    for page_id, start, end, label in sessions:
        if page_id in by_pk and start and end:
            by_pk[page_id].session_rows.append((start, end, label))
    full_url = _url_maker(request)
    for event in events:
        event.url = full_url(event.url_path)
    return events


def _escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _param(value: str) -> str:
    value = value.replace('"', "")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _fold(line: str) -> bytes:
    """Fold at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character nor a
    backslash escape."""
    data = line.encode()
    if len(data) <= 75:
        return data
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        backslashes = 0
        while data[cut - 1 - backslashes] == 0x5C and cut - 1 - backslashes > start:
            backslashes += 1
        if backslashes % 2:
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _line(name: str, kind: str, value) -> bytes:
    if kind == TEXT:
        return _fold(f"{name}:{_escape_text(value)}")
    if kind == LOCAL:
        return f"{name};TZID={value.tzinfo.key}:{value:%Y%m%dT%H%M%S}".encode()
    if kind == UTC:
        value = value.astimezone(datetime.UTC)
        return f"{name}:{value:%Y%m%dT%H%M%SZ}".encode()
    if kind == ADDRESS:
        address, params = value
        params = "".join(f";{key}={_param(param)}" for key, param in params.items())
        return _fold(f"{name}{params}:{address}")
    return _fold(f"{name}:{value}")  # URI, INTEGER


# Stored VEVENTs (`events.models.FeedEntry`) carry this DTSTAMP until a feed
# is served: it is then replaced by the feed's own time (RFC 5545: when the
# file was made). No other line of a VEVENT can start with "DTSTAMP:".
_DTSTAMP_PLACEHOLDER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_PLACEHOLDER_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"
# Written into each stored entry's key: change it when what `event_vevents`
# writes changes, and every stored entry is written afresh when read.
FEED_ENTRY_VERSION = "1"


def feed_entry_key(url: str | None) -> str:
    """What a stored entry was written for; one not matching is not used."""
    return f"{FEED_ENTRY_VERSION};{settings.TIME_ZONE};{url}"


def event_vevents(event: FeedEvent, *, online_link: str | None = None) -> bytes:
    """The VEVENTs of one feed row, each line ended by CRLF, with the
    placeholder DTSTAMP (`_assemble` puts the feed's time in)."""
    parts = []
    for properties in event_properties(
        event, url=event.url, dtstamp=_DTSTAMP_PLACEHOLDER, online_link=online_link
    ):
        lines = [b"BEGIN:VEVENT", *(_line(*prop) for prop in properties)]
        parts.append(b"\r\n".join(lines) + b"\r\nEND:VEVENT\r\n")
    return b"".join(parts)


def _assemble(vevents: bytes, *, name: str) -> bytes:
    """The VCALENDAR around `vevents`, stamped now."""
    stamp = b"\r\n" + _line("DTSTAMP", UTC, timezone.now()) + b"\r\n"
    head = [
        b"BEGIN:VCALENDAR",
        _line("VERSION", URI, "2.0"),
        _line("PRODID", TEXT, PRODID),
        _line("CALSCALE", URI, "GREGORIAN"),
        _line("X-WR-CALNAME", TEXT, name),
        _line("X-WR-TIMEZONE", TEXT, settings.TIME_ZONE),
        _vtimezone_ical(settings.TIME_ZONE).rstrip(b"\r\n"),
    ]
    return (
        b"\r\n".join(head)
        + b"\r\n"
        + vevents.replace(_PLACEHOLDER_LINE, stamp)
        + b"END:VCALENDAR\r\n"
    )


def feed_ical(events: list[FeedEvent], *, name: str, online_links: bool = False):
    """The feed's VCALENDAR as bytes: same properties as `event_calendar`."""
    return _assemble(
        b"".join(
            event_vevents(event, online_link=_online_link(event, online_links))
            for event in events
        ),
        name=name,
    )


def stored_feed_key() -> str:
    """What the whole stored feed (`StoredFeed`) was written for: what each
    entry's key says (`feed_entry_key`), for every URL at once (the site's
    root paths and `BASE_URL` make the events' URLs)."""
    from wagtail.models import Site

    from retex.links import base_url

    roots = sorted(root_path for _id, root_path, *_rest in Site.get_site_root_paths())
    serve_prefix = reverse("wagtail_serve", args=("",))
    return (
        f"{FEED_ENTRY_VERSION};{settings.TIME_ZONE};{base_url()};{serve_prefix};"
        f"{','.join(roots)}"
    )


def stored_entry_texts(queryset, *, request=None) -> list[tuple[int, str]]:
    """(pk, VEVENTs) of each event of `queryset`, in its order, from the
    events' stored entries (`FeedEntry`) in one query: the events without a
    stored entry, or whose entry was written for another URL, time zone or
    writer version, are written here (not stored: a read writes nothing)."""
    from events.models import EventPage

    rows = queryset.values_list("pk", "url_path", "feed_entry__text", "feed_entry__key")
    full_url = _url_maker(request)
    texts: list[tuple[int, str | None]] = []
    missing: dict[int, int] = {}
    for pk, url_path, text, key in rows:
        if text is None or key != feed_entry_key(full_url(url_path)):
            missing[pk] = len(texts)
        texts.append((pk, text))
    if missing:
        written = feed_rows(
            EventPage.objects.filter(pk__in=list(missing)).order_by("pk")
        )
        for event in written:
            texts[missing[event.pk]] = (event.pk, event_vevents(event).decode())
    return texts


def stored_feed_ical(queryset, *, name: str, request=None) -> bytes:
    """`feed_ical(feed_rows(queryset))` for the public feed (no connection
    links), from the events' stored VEVENTs (`stored_entry_texts`)."""
    texts = stored_entry_texts(queryset, request=request)
    return _assemble("".join(text for _pk, text in texts).encode(), name=name)


def whole_feed_ical(queryset, *, name: str, request=None) -> bytes:
    """`stored_feed_ical(queryset)` for the unfiltered public feed, from the
    whole feed's stored text (`StoredFeed`) when it holds every event of
    `queryset`: the database says which events the feed shows now (one
    query of ids, in no order: the stored text is in the feed's order, and
    any write that could change it empties it), the stored text gives their
    VEVENTs. Otherwise (emptied by a write not yet followed by its rewrite,
    written for another address, an event it does not hold) from the
    events' entries."""
    from django.db import connections

    from events.models import StoredFeed

    stored = StoredFeed.objects.values_list("key", "index", "data").first()
    if stored is not None and stored[0] and stored[0] == stored_feed_key():
        _key, index, data = stored
        # The ids as plain integers: no model, no converter (2,000 rows).
        sql, params = queryset.order_by().values_list("pk").query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            shown = {pk for (pk,) in cursor.fetchall()}
        parts, start = [], 0
        for pk, end in index:
            if pk in shown:
                parts.append(data[start:end])
            start = end
        if len(parts) == len(shown):
            return _assemble(b"".join(parts), name=name)
    return stored_feed_ical(queryset, name=name, request=request)
