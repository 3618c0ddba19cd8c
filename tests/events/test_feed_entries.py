"""agenda.ics is written from each event's stored VEVENTs (`FeedEntry`), and
unfiltered from the whole feed's stored text (`StoredFeed`): after every kind
of write the stored text is what the feed would write afresh, and the feed
served says exactly what the writer says (both parsers agree)."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from events.calendar import (
    event_vevents,
    feed_entry_key,
    feed_ical,
    feed_rows,
    stored_feed_ical,
    whole_feed_ical,
)
from events.feed_entries import refresh_stored_feed
from events.models import EventPage, EventSession, FeedEntry, StoredFeed
from tests.events.test_calendar import parse
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db

FEED = "/evenements/agenda.ics"


def without_stamp(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:", data)


def assert_entries_right():
    """Every event's stored entry is what the writer writes now, and the feed
    from stored entries is the feed written afresh."""
    events = EventPage.objects.order_by("pk")
    for row in feed_rows(events):
        entry = FeedEntry.objects.get(event_id=row.pk)
        assert entry.text == event_vevents(row).decode(), row.title
        assert entry.key == feed_entry_key(row.url)
    live = EventPage.objects.live().order_by("start", "pk")
    afresh = without_stamp(feed_ical(feed_rows(live), name="Retex"))
    assert without_stamp(stored_feed_ical(live, name="Retex")) == afresh
    # The whole feed's text, whether it is used (written since the last
    # write) or not (emptied by it, until its transaction commits).
    assert without_stamp(whole_feed_ical(live, name="Retex")) == afresh


def in_days(days, hour=9):
    return timezone.localtime().replace(
        hour=hour, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=days)


@pytest.fixture
def event(section):
    page = EventPageFactory(parent=section("evenements"), title="Formation RGPD")
    page.sessions = [EventSession(start=in_days(5), end=in_days(5, 12), label="Matin")]
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def republish(event, committed, **changes):
    event = EventPage.objects.get(pk=event.pk)
    for name, value in changes.items():
        setattr(event, name, value)
    committed(event.save_revision().publish)
    return EventPage.objects.get(pk=event.pk)


def test_the_feed_is_made_of_the_stored_entries_and_parses_the_same(client, event):
    assert_entries_right()
    data = client.get(FEED).content
    calendar, other = parse(data)
    (component,) = calendar.walk("VEVENT")
    assert str(component["UID"]) == event.ical_uid
    assert str(component["SUMMARY"]) == "Formation RGPD — Matin"
    assert other.vevent.summary.value == "Formation RGPD — Matin"
    # DTSTAMP: when the feed was made, not when the entry was stored.
    stamp = component.decoded("DTSTAMP")
    assert abs(stamp - timezone.now()) < datetime.timedelta(minutes=1)


def test_entries_follow_publications_drafts_and_cancellations(client, event, committed):
    event = republish(event, committed, title="Formation RGPD, saison 2")
    assert_entries_right()
    assert b"saison 2" in client.get(FEED).content

    # A draft changes nothing the feed shows.
    draft = EventPage.objects.get(pk=event.pk)
    draft.title = "Brouillon jamais publié"
    draft.save_revision()
    assert_entries_right()
    assert b"Brouillon" not in client.get(FEED).content

    # A new place on a live event raises its SEQUENCE: in the stored entry too.
    sequence = event.sequence
    event = republish(event, committed, venue="Salle du conseil", city="Vannes")
    assert event.sequence == sequence + 1
    assert_entries_right()
    (component,) = Calendar.from_ical(client.get(FEED).content).walk("VEVENT")
    assert int(component["SEQUENCE"]) == event.sequence

    event = republish(event, committed, cancelled=True)
    assert_entries_right()
    assert b"STATUS:CANCELLED" in client.get(FEED).content


def test_entries_follow_sessions_written_on_their_own(client, event):
    session = EventSession.objects.create(
        page=event, start=in_days(12), end=in_days(12, 17), label="Après-midi"
    )
    assert_entries_right()
    assert b"2-" + event.ical_uid.encode() in client.get(FEED).content

    session.label = "Journée"
    session.save()
    assert_entries_right()

    session.delete()
    assert_entries_right()
    EventSession.objects.filter(page=event).delete()
    assert_entries_right()


def test_entries_follow_renamed_pages_and_deletions(client, event, committed, section):
    agenda = section("evenements")
    event = republish(event, committed, slug="formation-rgpd-2027")
    assert_entries_right()
    assert b"/evenements/formation-rgpd-2027/" in client.get(FEED).content

    # The agenda renamed: every event's URL changes.
    agenda.slug = "agenda"
    committed(agenda.save_revision().publish)
    assert_entries_right()
    assert b"/agenda/formation-rgpd-2027/" in client.get(FEED).content

    committed(EventPage.objects.get(pk=event.pk).delete)
    assert not FeedEntry.objects.exists()
    assert b"VEVENT" not in client.get(FEED).content


def test_an_entry_written_for_another_address_is_not_used(client, event, settings):
    old_address = settings.BASE_URL.encode()
    assert old_address + b"/evenements/" in client.get(FEED).content
    settings.BASE_URL = "https://retex.example.org"
    # Until the command runs, the feed writes the event itself, on the new address.
    data = client.get(FEED).content
    assert b"https://retex.example.org/evenements/" in data
    assert old_address not in data
    call_command("rebuild_event_feed")
    assert_entries_right()
    assert without_stamp(client.get(FEED).content) == without_stamp(data)


def test_events_written_in_bulk_are_written_by_the_feed_itself(client, event):
    FeedEntry.objects.all().delete()
    data = client.get(FEED).content
    assert event.ical_uid.encode() in data
    call_command("rebuild_event_feed")
    assert_entries_right()
    assert without_stamp(client.get(FEED).content) == without_stamp(data)


def whole_feed_in_use() -> bool:
    stored = StoredFeed.objects.first()
    return stored is not None and stored.key != ""


def test_the_whole_feed_is_written_again_once_a_write_commits(client, event, committed):
    event = republish(event, committed, title="Formation RGPD, saison 2")
    assert whole_feed_in_use()
    assert_entries_right()
    assert b"saison 2" in client.get(FEED).content

    # Written in a transaction that has not committed yet: emptied at once,
    # never served with the former text.
    event.title = "Formation RGPD, saison 3"
    event.save()
    assert not whole_feed_in_use()
    assert_entries_right()
    assert b"saison 3" in client.get(FEED).content
    assert refresh_stored_feed()
    assert whole_feed_in_use()
    assert_entries_right()
    assert b"saison 3" in client.get(FEED).content


def test_the_whole_feed_shows_only_what_the_feed_shows_now(
    client, event, committed, section
):
    second = EventPageFactory(parent=section("evenements"), title="Table ronde")
    committed(second.save_revision().publish)
    assert whole_feed_in_use()
    data = client.get(FEED).content
    assert b"Table ronde" in data and b"Formation RGPD" in data

    # Which events the feed shows is asked of the database on each request:
    # a restriction (which writes no entry) hides the event at once.
    restriction = committed(
        PageViewRestriction.objects.create,
        page=second,
        restriction_type=PageViewRestriction.LOGIN,
    )
    assert whole_feed_in_use()
    data = client.get(FEED).content
    assert b"Table ronde" not in data and b"Formation RGPD" in data
    committed(restriction.delete)
    assert b"Table ronde" in client.get(FEED).content

    # Unpublished: out of the feed; an event the stored text does not hold
    # (written in bulk since) sends the feed back to the entries.
    committed(EventPage.objects.get(pk=second.pk).unpublish)
    assert b"Table ronde" not in client.get(FEED).content
    StoredFeed.objects.update(index=[])
    data = client.get(FEED).content
    assert b"Formation RGPD" in data
    assert_entries_right()


def test_the_whole_feed_written_for_another_address_is_not_used(
    client, event, committed, settings
):
    committed(refresh_stored_feed, force=True)
    assert whole_feed_in_use()
    settings.BASE_URL = "https://retex.example.org"
    data = client.get(FEED).content
    assert b"https://retex.example.org/evenements/" in data
    call_command("rebuild_event_feed")
    assert whole_feed_in_use()
    assert without_stamp(client.get(FEED).content) == without_stamp(data)


def test_a_filtered_feed_is_made_of_the_entries(client, event, committed):
    committed(refresh_stored_feed, force=True)
    # Were the whole text used for a filtered feed, this would show.
    StoredFeed.objects.update(data=b"X" * len(StoredFeed.objects.get().data))
    assert b"X" * 10 not in client.get(FEED + "?kind=" + event.kind).content
    assert b"X" * 10 in client.get(FEED).content
