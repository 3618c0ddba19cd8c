"""Demo events and registrations for `seed_demo`, dated from today.

The content is in `retex/demo_data/events.yaml`; this module turns its records into
page fields and registrations.

Every kind of event is there, upcoming and past, whatever the day the command runs:
dates are offsets from today (a weekend moves to the next Monday), at Paris
wall-clock times. The registrations use the demo people of `members/demo.py`
(looked up by email) and show each rule at work: a full training with its
waitlist, a members-only round table, a training limited to two people per
collectivity, a congress whose registration is not open yet, and a past training
whose attendance is marked, so that certificates can be downloaded from
"Mon espace" (log in as `example_login` of `people.yaml`).

Idempotent like the rest of `seed_demo` (see `retex/demo.py`): pages are looked up
by slug, their sessions compared field by field; registrations are looked up by
(event, person) and only written when a value differs; a certificate code, once
given, is kept. Registrations are written directly, not through
`events.registration`, which emails people and refuses past events; the demo data
is checked against the same rules instead (`check_registrations`). Moving the demo
dates to follow today emails nobody either (`participants_not_notified`).
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.core.management.base import CommandError
from django.db.models.signals import post_save
from django.utils import timezone

from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    Audience,
    EventKind,
    EventPage,
    Registration,
    RegistrationStatus,
)
from events.registration import cancellation_deadline, registration_closes_at
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityPage,
    MembershipStatus,
    User,
)
from members.territories import Region
from retex.demo import (
    CLOCK,
    Stream,
    load_demo_data,
    resolve,
    resolve_one,
    upsert_page,
)
from retex.demo_images import CREDIT, demo_illustration
from retex.models import Theme

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED

# --- Events ------------------------------------------------------------------------
# "day": the first day, as an offset from today (a weekend moves to the following
# Monday, and an event over several days moves until none of its days is a
# weekend day). "sessions": 1 to 3 sessions, each "day" days after the first.
# "host": the slug of the member collectivity that hosts it (on its profile).
# "opens", "closes" and "cancellation": registration opens, closes and people may
# unregister until so many days before the first day, at a Paris time.
# "registrations": in the order people registered, over the "span" days before
# today (upcoming events) or before registration closed (past events); "by": the
# colleague (a representative of the same collectivity) who registered the person;
# "attended": marked present (true) or absent (false) after the event.

DAYS_BEFORE = {"days": int, "at": CLOCK}

EVENTS_SCHEMA = {
    "events": [
        {
            "slug": str,
            "title": str,
            "kind": EventKind,
            "audience": Audience,
            "themes": [str],
            "day": int,
            "sessions": [
                {"day?": int, "start": CLOCK, "end": CLOCK, "label?": str},
            ],
            "online": bool,
            "online_link?": str,
            "venue?": str,
            "address?": str,
            "postcode?": str,
            "city?": str,
            "region?": Region,
            "host?": str,
            "lead": str,
            "body": Stream(EventPage),
            "speakers?": str,
            "partners?": str,
            "price_info?": str,
            "capacity?": int,
            "waitlist_enabled?": bool,
            "seats_per_collectivity?": int,
            "members_only?": bool,
            "registration_enabled?": bool,
            "opens?": DAYS_BEFORE,
            "closes?": DAYS_BEFORE,
            "cancellation?": DAYS_BEFORE,
            "span?": int,
            "registrations": [
                {
                    "email": str,
                    "status": RegistrationStatus,
                    "by?": str,
                    "attended?": bool,
                }
            ],
        }
    ],
}


def load_events():
    return load_demo_data("events", EVENTS_SCHEMA)["events"]


# Clock times of the 1st, 2nd... registration made on the same day.
REGISTRATION_TIMES = (
    (9, 12),
    (10, 41),
    (11, 57),
    (14, 8),
    (15, 36),
    (16, 52),
    (18, 5),
    (20, 47),
    (21, 30),
)


# --- Dates -------------------------------------------------------------------------


# Public holidays on a fixed date (month, day): no demo event on Christmas Day.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def day_off(day):
    return day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS


def next_weekday(day):
    """The day itself, or the following Monday when it falls on a weekend."""
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    return day


def previous_weekday(day):
    """The day itself, or the Friday before when it falls on a weekend."""
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    return day


def event_day(days):
    """Today + days, moved to the following Monday when it falls on a weekend."""
    return next_weekday(timezone.localdate() + timedelta(days=days))


def local_datetime(day, hour_minute):
    """A Paris wall-clock time on that day, whatever the DST offset that day."""
    return datetime.combine(
        day, time(*hour_minute), tzinfo=timezone.get_current_timezone()
    )


def first_day(data):
    """The event's first day: no session of it may fall on a weekend or on a
    fixed public holiday; the whole event moves to a later day if one does."""
    day = event_day(data["day"])
    offsets = [s.get("day", 0) for s in data["sessions"]]
    while any(day_off(day + timedelta(days=o)) for o in offsets):
        day += timedelta(days=1)
    return day


def days_before(day, days_and_time):
    """`{"days": days, "at": (hour, minute)}` before `day`, on a weekday, or None."""
    if days_and_time is None:
        return None
    before = day - timedelta(days=days_and_time["days"])
    return local_datetime(previous_weekday(before), days_and_time["at"])


def event_values(data, themes, collectivities):
    day = first_day(data)
    sessions = [
        {
            "start": local_datetime(day + timedelta(days=s.get("day", 0)), s["start"]),
            "end": local_datetime(day + timedelta(days=s.get("day", 0)), s["end"]),
            "label": s.get("label", ""),
        }
        for s in data["sessions"]
    ]
    theme_pks = resolve(themes, data["themes"], "theme")
    online = data["online"]
    opens = None
    if "opens" in data:
        # On a weekday: the following one, so never earlier than announced.
        after = next_weekday(day - timedelta(days=data["opens"]["days"]))
        opens = local_datetime(after, data["opens"]["at"])
    return {
        "title": data["title"],
        "kind": data["kind"],
        "audience": data["audience"],
        "lead": data["lead"],
        # A generated, abstract visual: decorative (alt="").
        "image": demo_illustration(f"evenement-{data['slug']}"),
        "image_alt": "",
        "image_decorative": True,
        "image_credit": CREDIT,
        "themes": theme_pks,
        "sessions": sessions,
        # Also kept on the page (EventPage.save computes them from the sessions).
        "start": min(s["start"] for s in sessions),
        "end": max(s["end"] for s in sessions),
        "online": online,
        "online_link": data.get("online_link", ""),
        "venue": "" if online else data.get("venue", ""),
        "address": "" if online else data.get("address", ""),
        "postcode": "" if online else data.get("postcode", ""),
        "city": "" if online else data.get("city", ""),
        "region": "" if online else data.get("region", ""),
        "host_collectivity_id": resolve_one(
            collectivities, data["host"], "collectivity"
        )
        if "host" in data
        else None,
        "body": data["body"],
        "speakers": data.get("speakers", ""),
        "partners": data.get("partners", ""),
        "price_info": data.get("price_info", ""),
        "capacity": data.get("capacity"),
        "waitlist_enabled": data.get("waitlist_enabled", True),
        "seats_per_collectivity": data.get("seats_per_collectivity"),
        "registration_opens": opens,
        "registration_closes": days_before(day, data.get("closes")),
        "cancellation_deadline": days_before(day, data.get("cancellation")),
        "members_only": data.get("members_only", False),
        "registration_enabled": data.get("registration_enabled", True),
        "cancelled": False,
    }


# --- Pages -------------------------------------------------------------------------


@contextmanager
def participants_not_notified():
    """Publish event pages without emailing their participants.

    Demo dates follow today, so a rerun on a later day moves every demo event:
    no news for anybody. The `sequence` of a changed event still grows (in
    `pre_save`), so calendar feeds pick the new times up.
    """
    from events.signals import notify_participants_of_change

    disconnected = post_save.disconnect(notify_participants_of_change, sender=EventPage)
    try:
        yield
    finally:
        if disconnected:
            post_save.connect(notify_participants_of_change, sender=EventPage)


def seed_events(index, stats):
    """Create or update the demo events; return them by slug."""
    themes = dict(Theme.objects.values_list("slug", "pk"))
    collectivities = dict(CollectivityPage.objects.values_list("slug", "pk"))
    pages = {}
    with participants_not_notified():
        for data in load_events():
            pages[data["slug"]] = upsert_page(
                index,
                EventPage,
                data["slug"],
                event_values(data, themes, collectivities),
                stats,
            )
    return pages


# --- Registrations -----------------------------------------------------------------


def registration_times(event, count, span):
    """When each of `count` people registered, in order: spread over the `span`
    days before today, or before registration closed when it has."""
    last = min(
        timezone.localdate(), timezone.localtime(registration_closes_at(event)).date()
    )
    times, first_of_day = [], {}
    for i in range(count):
        day = last - timedelta(days=span - (i * span) // count)
        # Later and later in the day, from a time that varies from day to day.
        first = first_of_day.setdefault(day, i)
        rank = first % 4 + i - first
        if rank >= len(REGISTRATION_TIMES):
            raise CommandError(f"{event.slug}: too many registrations a day.")
        times.append(local_datetime(day, REGISTRATION_TIMES[rank]))
    return times


def _wanted_registrations(data, event, people):
    """The wanted rows of one event, as dicts of Registration field values."""
    entries = data["registrations"]
    times = registration_times(event, len(entries), data.get("span", 14))
    wanted = []
    for entry, created_at in zip(entries, times, strict=True):
        person = people[entry["email"]]
        by = people[entry["by"]] if entry.get("by") else None
        status = entry["status"]
        wanted.append(
            {
                "user": person["user"],
                "by": by,
                "status": status,
                "collectivity_id": person["collectivity_id"],
                "registered_by_id": by["user"].pk if by else None,
                "created_at": created_at,
                "confirmed_at": created_at if status != WAITLISTED else None,
                "waitlisted_at": created_at if status == WAITLISTED else None,
                "cancelled_at": created_at + timedelta(days=1)
                if status == CANCELLED
                else None,
                "attended": entry.get("attended"),
                "member": person["member"],
            }
        )
    return wanted


def check_registrations(event, wanted, *, now):
    """The rules `events.registration` enforces, applied to the demo data."""
    problems = []
    active = [w for w in wanted if w["status"] in ACTIVE_REGISTRATION_STATUSES]
    confirmed_count = sum(w["status"] == CONFIRMED for w in wanted)
    emails = [w["user"].email for w in wanted]
    if len(set(emails)) != len(emails):
        problems.append("a person is registered twice")
    if event.capacity is not None and confirmed_count > event.capacity:
        problems.append("more people confirmed than seats")
    if any(w["status"] == WAITLISTED for w in wanted) and (
        event.capacity is None
        or confirmed_count < event.capacity
        or not event.waitlist_enabled
    ):
        problems.append("people waiting while seats are free")
    if event.seats_per_collectivity:
        per_collectivity = {}
        for w in active:
            if w["collectivity_id"] is not None:
                key = w["collectivity_id"]
                per_collectivity[key] = per_collectivity.get(key, 0) + 1
        if any(n > event.seats_per_collectivity for n in per_collectivity.values()):
            problems.append("too many people of one collectivity")
    closes = registration_closes_at(event)
    deadline = cancellation_deadline(event)
    for w in wanted:
        who = w["user"].email
        if event.members_only and not w["member"]:
            problems.append(f"{who} is not a member")
        if not (w["created_at"] < min(now, closes)):
            problems.append(f"{who} registered after registration closed")
        if event.registration_opens and w["created_at"] < event.registration_opens:
            problems.append(f"{who} registered before registration opened")
        if w["cancelled_at"] and not w["cancelled_at"] < min(now, deadline):
            problems.append(f"{who} unregistered after the deadline")
        if w["attended"] is not None and (w["status"] != CONFIRMED or event.end > now):
            problems.append(f"{who}: attendance of a non-confirmed or future seat")
        by = w["by"]
        if by is not None and not (
            by["representative"] and by["collectivity_id"] == w["collectivity_id"]
        ):
            problems.append(f"{who} registered by someone not representing them")
    if problems:
        raise CommandError(f"Demo registrations of {event.slug}: {problems}")


def demo_people(emails):
    """By email: the user, the collectivity they would register with (their
    approved affiliation's), whether they are a member and represent it."""
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    missing = set(emails) - set(users)
    if missing:
        raise CommandError(
            f"No demo people {sorted(missing)}: seed the people first (members)."
        )
    affiliations = {
        a.user_id: a
        for a in Affiliation.objects.filter(
            user__in=users.values(), status=AffiliationStatus.APPROVED
        ).select_related("collectivity")
    }
    people = {}
    for email, user in users.items():
        affiliation = affiliations.get(user.pk)
        collectivity = affiliation.collectivity if affiliation else None
        people[email] = {
            "user": user,
            "collectivity_id": collectivity.pk if collectivity else None,
            "member": bool(
                collectivity
                and collectivity.live
                and collectivity.membership_status == MembershipStatus.ACTIVE
            ),
            "representative": bool(
                affiliation and affiliation.role == AffiliationRole.REPRESENTATIVE
            ),
        }
    return people


FIELDS = (
    "status",
    "collectivity_id",
    "registered_by_id",
    "created_at",
    "confirmed_at",
    "waitlisted_at",
    "cancelled_at",
    "attended",
)


def _existing_row(rows):
    """The row to update: the active one, else the latest cancelled one."""
    active = [r for r in rows if r.status in ACTIVE_REGISTRATION_STATUSES]
    return active[0] if active else max(rows, key=lambda r: r.pk, default=None)


def _seat_wanted(event, wanted, existing):
    """Confirm the wanted people while seats remain, counting the seats other
    people (registered on the demo site) hold; the others wait, in order."""
    if event.capacity is None:
        return wanted
    demo_users = {w["user"].pk for w in wanted}
    others = sum(
        1
        for rows in existing.values()
        for r in rows
        if r.status == CONFIRMED and r.user_id not in demo_users
    )
    left = event.capacity - others
    seated = []
    for w in wanted:
        if w["status"] == CONFIRMED:
            if left > 0:
                left -= 1
            else:
                w = {
                    **w,
                    "status": WAITLISTED,
                    "confirmed_at": None,
                    "waitlisted_at": w["created_at"],
                    "attended": None,
                }
        seated.append(w)
    return seated


def seed_registrations(events, stats):
    """Create or update the demo registrations of the events seeded by
    `seed_events` (by slug); return how many certificate codes were given."""
    from events.certificates import new_certificate_code

    now = timezone.now()
    all_events = load_events()
    emails = {
        e
        for data in all_events
        for r in data["registrations"]
        for e in (r["email"], r.get("by"))
    } - {None}
    people = demo_people(emails)
    codes = 0
    for data in all_events:
        event = events[data["slug"]]
        wanted = _wanted_registrations(data, event, people)
        check_registrations(event, wanted, now=now)
        existing = {}
        for row in Registration.objects.filter(event=event).order_by("pk"):
            existing.setdefault(row.user_id, []).append(row)
        for w in _seat_wanted(event, wanted, existing):
            row = _existing_row(existing.get(w["user"].pk, []))
            created = row is None
            if created:
                row = Registration(event=event, user=w["user"])
            changed = created
            for name in FIELDS:
                if getattr(row, name) != w[name]:
                    setattr(row, name, w[name])
                    changed = True
            if w["attended"] and not row.certificate_code:
                # Given once, like `registration_set_attendance`: never replaced.
                row.certificate_code = new_certificate_code()
                codes += 1
                changed = True
            if changed:
                row.save()
            stats.count(
                Registration,
                "created" if created else "updated" if changed else "unchanged",
            )
    return codes
