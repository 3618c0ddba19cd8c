"""Calendar files: the public feed, downloads, email attachments, the private feed.

Every file is parsed back with icalendar and with vobject, an independent parser.
"""

import datetime

import pytest
import vobject
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from events.models import CalendarToken, EventSession, Registration, RegistrationStatus
from events.registration import registration_cancel, registration_create
from tests.factories import EventPageFactory, ThemeFactory, UserFactory
from tests.factories import verified_person as person

pytestmark = pytest.mark.django_db

FEED = "/evenements/agenda.ics"


def parse(data: bytes):
    """(icalendar calendar, vobject calendar), both must accept the file."""
    calendar = Calendar.from_ical(data)
    other = vobject.readOne(data.decode())
    return calendar, other


def vevents(calendar):
    return calendar.walk("VEVENT")


def by_uid(calendar) -> dict:
    return {str(component["UID"]): component for component in vevents(calendar)}


def get_feed(client, query=""):
    response = client.get(FEED + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def attachment(message):
    (ics,) = [
        content
        for name, content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    ]
    return ics if isinstance(ics, bytes) else ics.encode()


@pytest.fixture
def agenda(section):
    return section("evenements")


def in_days(days, hour=9):
    return timezone.localtime().replace(
        hour=hour, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=days)


# --- Public feed -------------------------------------------------------------------


def test_feed_is_valid_icalendar_with_paris_times_and_stable_uids(client, agenda):
    event = EventPageFactory(
        parent=agenda,
        title="Formation RGPD",
        venue="Hôtel de ville",
        address="1 place de la Mairie",
        postcode="35000",
        city="Rennes",
    )

    data = get_feed(client)
    calendar, other = parse(data)

    assert b"BEGIN:VTIMEZONE" in data
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (component,) = vevents(calendar)
    assert str(component["UID"]) == event.ical_uid
    assert component["DTSTART"].params["TZID"] == "Europe/Paris"
    assert component.decoded("DTSTART") == event.start
    assert component.decoded("DTEND") == event.end
    assert "DTSTAMP" in component
    assert int(component["SEQUENCE"]) == 0
    assert str(component["URL"]) == event.get_full_url()
    assert str(component["LOCATION"]) == (
        "Hôtel de ville, 1 place de la Mairie, 35000 Rennes"
    )
    assert str(component["SUMMARY"]) == "Formation RGPD"
    assert b"DTSTART;TZID=Europe/Paris:" in data
    # The independent parser reads the same event, at the same instant.
    (vevent,) = other.vevent_list
    assert vevent.uid.value == event.ical_uid
    assert vevent.dtstart.value == event.start
    assert str(vevent.dtstart.value.tzinfo) in {"Europe/Paris", "CET", "CEST"} or (
        vevent.dtstart.value.utcoffset() == timezone.localtime(event.start).utcoffset()
    )
    assert other.vtimezone.tzid.value == "Europe/Paris"
    assert client.head(FEED).status_code == 200  # Some calendar apps check first.


def test_feed_has_upcoming_and_recent_events_only(client, agenda):
    EventPageFactory(parent=agenda, title="À venir")
    EventPageFactory(
        parent=agenda,
        title="La semaine dernière",
        start=in_days(-7),
        end=in_days(-7, 12),
    )
    EventPageFactory(
        parent=agenda,
        title="Il y a deux mois",
        start=in_days(-60),
        end=in_days(-60, 12),
    )

    calendar, _ = parse(get_feed(client))

    titles = {str(c["SUMMARY"]) for c in vevents(calendar)}
    assert titles == {"À venir", "La semaine dernière"}


def test_feed_never_has_drafts_or_restricted_events_whoever_asks(
    client, agenda, django_user_model
):
    EventPageFactory(parent=agenda, title="Public")
    EventPageFactory(parent=agenda, title="Brouillon").unpublish()
    login_only = EventPageFactory(parent=agenda, title="Connectés seulement")
    PageViewRestriction.objects.create(
        page=login_only, restriction_type=PageViewRestriction.LOGIN
    )
    group_only = EventPageFactory(parent=agenda, title="Groupe seulement")
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Comité"))
    admin = django_user_model.objects.create_superuser(
        email="admin@retex.fr", password="motdepasse-solide-2026"
    )
    client.force_login(admin)

    calendar, _ = parse(get_feed(client))

    assert [str(c["SUMMARY"]) for c in vevents(calendar)] == ["Public"]


def test_members_only_registration_does_not_hide_an_event_from_the_feed(client, agenda):
    EventPageFactory(parent=agenda, title="Réservé aux membres", members_only=True)

    calendar, _ = parse(get_feed(client))

    assert [str(c["SUMMARY"]) for c in vevents(calendar)] == ["Réservé aux membres"]


def test_feed_filters_by_theme_and_kind(client, agenda):
    cyber = ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    training = EventPageFactory(
        parent=agenda, title="Formation cyber", kind="formation"
    )
    training.themes.add(cyber)
    training.save()
    webinar = EventPageFactory(parent=agenda, title="Webinaire cyber", kind="webinaire")
    webinar.themes.add(cyber)
    webinar.save()
    EventPageFactory(parent=agenda, title="Formation données", kind="formation")

    def titles(query):
        calendar, _ = parse(get_feed(client, query))
        return sorted(str(c["SUMMARY"]) for c in vevents(calendar))

    assert titles("?theme=cybersecurite") == ["Formation cyber", "Webinaire cyber"]
    assert titles("?kind=formation") == ["Formation cyber", "Formation données"]
    assert titles("?theme=cybersecurite&kind=webinaire") == ["Webinaire cyber"]
    # An unknown value is ignored rather than an error.
    assert len(titles("?kind=inconnu&theme=nulle-part")) == 3


def test_feed_hides_online_links(client, agenda):
    EventPageFactory(
        parent=agenda,
        online=True,
        online_link="https://visio.example.org/secret-room",
        city="",
    )

    data = get_feed(client)

    assert b"secret-room" not in data
    calendar, _ = parse(data)
    assert str(vevents(calendar)[0]["LOCATION"]) == "En ligne"


def test_feed_queries_do_not_grow_with_the_number_of_events(client, agenda):
    def feed_queries():
        with CaptureQueriesContext(connection) as queries:
            get_feed(client)
        return len(queries)

    for _ in range(2):
        event = EventPageFactory(parent=agenda)
        EventSession.objects.create(page=event, start=event.start, end=event.end)
    feed_queries()  # The first request fills caches (site root paths).
    few = feed_queries()
    for _ in range(8):
        event = EventPageFactory(parent=agenda)
        EventSession.objects.create(page=event, start=event.start, end=event.end)
    many = feed_queries()

    assert many == few
    assert many <= 6


def test_a_multi_session_event_keeps_its_uid_on_the_first_session(client, agenda):
    event = EventPageFactory(parent=agenda, title="Cycle données")
    first = in_days(20)
    event.sessions = [
        EventSession(
            start=first, end=first + datetime.timedelta(hours=3), label="Jour 1"
        ),
        EventSession(
            start=first + datetime.timedelta(days=1),
            end=first + datetime.timedelta(days=1, hours=3),
            label="Jour 2",
        ),
    ]
    event.save()

    calendar, other = parse(get_feed(client))

    uids = by_uid(calendar)
    assert set(uids) == {event.ical_uid, f"2-{event.ical_uid}"}
    assert str(uids[event.ical_uid]["SUMMARY"]) == "Cycle données — Jour 1"
    assert uids[f"2-{event.ical_uid}"].decoded("DTSTART") == first + datetime.timedelta(
        days=1
    )
    assert len(other.vevent_list) == 2


# --- One UID everywhere ------------------------------------------------------------


def test_one_uid_in_feed_download_and_registration_email(client, agenda, committed):
    event = EventPageFactory(parent=agenda, title="Atelier open data")
    user = person()

    feed_uids = set(by_uid(parse(get_feed(client))[0]))
    download = client.get(event.url + "evenement.ics")
    download_uids = set(by_uid(parse(download.content)[0]))
    committed(registration_create, event_id=event.pk, user=user)
    email_calendar, _ = parse(attachment(mail.outbox[-1]))

    assert download["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed_uids == download_uids == set(by_uid(email_calendar)) == {event.ical_uid}
    assert str(email_calendar["METHOD"]) == "REQUEST"
    assert email_calendar.walk("VTIMEZONE")


# --- Changes and cancellations -----------------------------------------------------


@pytest.fixture
def full_event(agenda):
    """An online event with a confirmed participant and a waiting one."""
    event = EventPageFactory(
        parent=agenda,
        title="Webinaire cybersécurité",
        capacity=1,
        online=True,
        online_link="https://visio.example.org/salle-42",
        city="",
    )
    confirmed = person(first_name="Alice")
    waiting = person(first_name="Bruno")
    registration_create(event_id=event.pk, user=confirmed)
    registration_create(event_id=event.pk, user=waiting)
    mail.outbox.clear()
    event.refresh_from_db()
    return event, confirmed, waiting


def publish(event, committed, **changes):
    event = event.specific_class.objects.get(pk=event.pk)
    for name, value in changes.items():
        setattr(event, name, value)
    revision = event.save_revision()
    committed(revision.publish)
    event.refresh_from_db()
    return event


def test_a_new_time_raises_sequence_and_emails_every_active_participant(
    full_event, committed
):
    event, confirmed, waiting = full_event
    new_start = event.start + datetime.timedelta(days=1)

    event = publish(
        event, committed, start=new_start, end=new_start + datetime.timedelta(hours=2)
    )

    assert event.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [confirmed.email, waiting.email]
    )
    for message in mail.outbox:
        assert "Modification" in message.subject
        assert message.alternatives[0][1] == "text/html"
        calendar, other = parse(attachment(message))
        assert str(calendar["METHOD"]) == "REQUEST"
        (component,) = vevents(calendar)
        assert str(component["UID"]) == event.ical_uid
        assert int(component["SEQUENCE"]) == 1
        assert component.decoded("DTSTART") == new_start
        assert other.vevent.sequence.value == "1"
    to_alice = next(m for m in mail.outbox if m.to == [confirmed.email])
    to_bruno = next(m for m in mail.outbox if m.to == [waiting.email])
    assert "salle-42" in to_alice.body
    assert b"salle-42" in attachment(to_alice)
    assert "salle-42" not in to_bruno.body
    assert b"salle-42" not in attachment(to_bruno)
    assert "position 1" in to_bruno.body


def test_sessions_changed_in_a_revision_are_noticed(full_event, committed):
    event, _, _ = full_event
    event = event.specific_class.objects.get(pk=event.pk)
    later = event.start + datetime.timedelta(hours=1)
    event.sessions = [
        EventSession(start=later, end=later + datetime.timedelta(hours=3))
    ]
    committed(event.save_revision().publish)
    event.refresh_from_db()

    assert event.sequence == 1
    assert event.start == later
    assert len(mail.outbox) == 2
    component = vevents(parse(attachment(mail.outbox[0]))[0])[0]
    assert component.decoded("DTSTART") == later


def test_other_edits_and_drafts_change_nothing(full_event, committed):
    event, _, _ = full_event

    event = publish(event, committed, lead="Un nouveau chapô.", title="Nouveau titre")
    draft = event.specific_class.objects.get(pk=event.pk)
    draft.city = "Brest"
    draft.online = False
    committed(draft.save_revision)
    event.refresh_from_db()

    assert event.sequence == 0
    assert mail.outbox == []


def test_a_second_change_raises_sequence_again(full_event, committed):
    event, _, _ = full_event

    event = publish(event, committed, online=False, city="Nantes", online_link="")
    event = publish(event, committed, city="Angers")

    assert event.sequence == 2
    assert len(mail.outbox) == 4
    last = vevents(parse(attachment(mail.outbox[-1]))[0])[0]
    assert int(last["SEQUENCE"]) == 2
    assert "Angers" in str(last["LOCATION"])


def test_cancellation_sends_method_cancel_to_every_active_participant(
    full_event, committed, client
):
    event, confirmed, waiting = full_event

    event = publish(event, committed, cancelled=True)

    assert event.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [confirmed.email, waiting.email]
    )
    for message in mail.outbox:
        assert "Annulation" in message.subject
        assert "annulé" in message.body
        calendar, other = parse(attachment(message))
        assert str(calendar["METHOD"]) == "CANCEL"
        (component,) = vevents(calendar)
        assert str(component["UID"]) == event.ical_uid
        assert str(component["STATUS"]) == "CANCELLED"
        assert int(component["SEQUENCE"]) == 1
        assert other.method.value == "CANCEL"
        assert b"salle-42" not in attachment(message)
    # The public feed says so too, with the same UID and sequence.
    (component,) = vevents(parse(get_feed(client))[0])
    assert str(component["STATUS"]) == "CANCELLED"
    assert int(component["SEQUENCE"]) == 1
    # Saving the cancelled event again tells nobody again.
    mail.outbox.clear()
    publish(event, committed, lead="Reporté à une date ultérieure.")
    assert mail.outbox == []


def test_publishing_an_older_revision_never_lowers_sequence(full_event, committed):
    event, _, _ = full_event
    old_revision = event.specific_class.objects.get(pk=event.pk).save_revision()

    event = publish(event, committed, city="Lorient", online=False)
    committed(old_revision.publish)
    event.refresh_from_db()

    assert event.sequence == 2  # Back to online: a change too.


# --- One person's invitations: REQUEST, then CANCEL ------------------------------


def invitation(message):
    """(method, UID, SEQUENCE, STATUS, ORGANIZER, ATTENDEE and its parameters) of
    the .ics of `message`, as icalendar reads it; vobject must read the same."""
    data = attachment(message)
    calendar, other = parse(data)
    (component,) = vevents(calendar)
    attendee = component["ATTENDEE"]
    found = {
        "method": str(calendar["METHOD"]),
        "uid": str(component["UID"]),
        "sequence": int(component["SEQUENCE"]),
        "status": str(component["STATUS"]),
        "organizer": str(component["ORGANIZER"]),
        "attendee": str(attendee),
        "partstat": attendee.params["PARTSTAT"],
        "cn": attendee.params.get("CN"),
    }
    vevent = other.vevent
    assert {
        "method": other.method.value,
        "uid": vevent.uid.value,
        "sequence": int(vevent.sequence.value),
        "status": vevent.status.value,
        "organizer": vevent.organizer.value,
        "attendee": vevent.attendee.value,
        "partstat": vevent.attendee.params["PARTSTAT"][0],
        "cn": vevent.attendee.params["CN"][0],
    } == found
    assert message.attachments[0][2] == (
        f"text/calendar; method={found['method']}; charset=utf-8"
    )
    return found


@pytest.fixture
def organizer():
    return UserFactory(is_superuser=True)


def test_the_confirmation_invites_the_person_as_attendee(agenda, committed):
    event = EventPageFactory(parent=agenda, title="Atelier open data")
    user = person(first_name="Alice", last_name="Martin")

    committed(registration_create, event_id=event.pk, user=user)

    (message,) = mail.outbox
    assert invitation(message) == {
        "method": "REQUEST",
        "uid": event.ical_uid,
        "sequence": 0,
        "status": "CONFIRMED",
        "organizer": "mailto:ne-pas-repondre@retex.localhost",
        "attendee": f"mailto:{user.email}",
        "partstat": "ACCEPTED",
        "cn": "Alice Martin",
    }


def test_cancelling_takes_the_event_out_of_the_person_s_calendar(
    agenda, committed, organizer
):
    event = EventPageFactory(parent=agenda, title="Atelier open data")
    user = person(first_name="Alice", last_name="Martin")
    first, _ = committed(registration_create, event_id=event.pk, user=user)
    request = invitation(mail.outbox[-1])

    committed(registration_cancel, registration_id=first.pk, by=user)

    cancel = invitation(mail.outbox[-1])
    assert "Désinscription" in mail.outbox[-1].subject
    assert cancel["method"] == "CANCEL"
    assert cancel["status"] == "CANCELLED"
    assert cancel["uid"] == request["uid"] == event.ical_uid
    assert cancel["sequence"] > request["sequence"]
    assert cancel["attendee"] == f"mailto:{user.email}"
    assert cancel["partstat"] == "DECLINED"

    # Registering again puts it back (a higher sequence than the CANCEL), and
    # an organizer cancelling it takes it out again (higher still).
    second, _ = committed(registration_create, event_id=event.pk, user=user)
    again = invitation(mail.outbox[-1])
    assert again["method"] == "REQUEST"
    assert again["uid"] == event.ical_uid
    assert again["sequence"] > cancel["sequence"]
    committed(registration_cancel, registration_id=second.pk, by=organizer)
    last = invitation(mail.outbox[-1])
    assert last["method"] == "CANCEL"
    assert last["sequence"] > again["sequence"]

    # A change of the event, for a person registered a third time, goes higher.
    committed(registration_create, event_id=event.pk, user=user)
    third = invitation(mail.outbox[-1])
    mail.outbox.clear()
    publish(event, committed, city="Nantes")
    change = invitation(mail.outbox[-1])
    assert change["method"] == "REQUEST"
    assert change["sequence"] > third["sequence"] > last["sequence"]


def test_people_waiting_get_no_invitation_until_promoted(agenda, committed, organizer):
    event = EventPageFactory(parent=agenda, capacity=1)
    alice, bruno, chloe = person(), person(), person()
    seat, _ = committed(registration_create, event_id=event.pk, user=alice)
    committed(registration_create, event_id=event.pk, user=bruno)
    waiting, _ = committed(registration_create, event_id=event.pk, user=chloe)
    mail.outbox.clear()

    # Chloé leaves the waitlist: she never had the event, nothing to cancel.
    committed(registration_cancel, registration_id=waiting.pk, by=chloe)
    (to_chloe,) = mail.outbox
    assert to_chloe.attachments == []
    mail.outbox.clear()

    # Alice's seat goes to Bruno: Alice gets a CANCEL, Bruno his REQUEST.
    committed(registration_cancel, registration_id=seat.pk, by=organizer)
    to_alice = next(m for m in mail.outbox if m.to == [alice.email])
    to_bruno = next(m for m in mail.outbox if m.to == [bruno.email])
    assert invitation(to_alice)["method"] == "CANCEL"
    promoted = invitation(to_bruno)
    assert (promoted["method"], promoted["partstat"]) == ("REQUEST", "ACCEPTED")
    assert promoted["attendee"] == f"mailto:{bruno.email}"


# --- Private feed ------------------------------------------------------------------


def test_private_feed_has_my_confirmed_registrations_with_links(client, agenda):
    mine = EventPageFactory(
        parent=agenda,
        title="Mon webinaire",
        online=True,
        online_link="https://visio.example.org/ma-salle",
        city="",
    )
    waiting_for = EventPageFactory(parent=agenda, title="En attente", capacity=0)
    someone_elses = EventPageFactory(parent=agenda, title="Pas le mien")
    me, other = person(), person()
    Registration.objects.create(
        event=mine, user=me, status=RegistrationStatus.CONFIRMED
    )
    Registration.objects.create(
        event=waiting_for, user=me, status=RegistrationStatus.WAITLISTED
    )
    Registration.objects.create(
        event=someone_elses, user=other, status=RegistrationStatus.CONFIRMED
    )
    client.force_login(me)

    response = client.post("/mon-espace/agenda/nouvelle-adresse/")
    assert response.status_code == 302
    token = CalendarToken.objects.get(user=me).token
    assert len(token) >= 40
    page = client.get("/mon-espace/").content.decode()
    feed_path = f"/mon-espace/agenda/{token}.ics"
    assert feed_path in page
    assert f"webcal://{settings.BASE_URL.split('://', 1)[1]}{feed_path}" in page

    client.logout()  # Calendar apps do not log in.
    response = client.get(feed_path)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar, other_parser = parse(response.content)
    (component,) = vevents(calendar)
    assert str(component["UID"]) == mine.ical_uid
    assert "https://visio.example.org/ma-salle" in str(component["DESCRIPTION"])
    assert "ma-salle" in other_parser.vevent.description.value


def test_resetting_the_address_kills_the_old_one(client, agenda):
    me = person()
    client.force_login(me)
    client.post("/mon-espace/agenda/nouvelle-adresse/")
    old = CalendarToken.objects.get(user=me).token
    assert client.get(f"/mon-espace/agenda/{old}.ics").status_code == 200

    client.post("/mon-espace/agenda/nouvelle-adresse/")
    new = CalendarToken.objects.get(user=me).token

    assert new != old
    assert client.get(f"/mon-espace/agenda/{old}.ics").status_code == 404
    assert client.get(f"/mon-espace/agenda/{new}.ics").status_code == 200
    assert (
        f"/mon-espace/agenda/{old}.ics"
        not in client.get("/mon-espace/").content.decode()
    )


def test_unknown_tokens_and_get_resets_are_refused(client):
    assert client.get("/mon-espace/agenda/inconnu.ics").status_code == 404
    assert client.get("/mon-espace/agenda/" + "x" * 500 + ".ics").status_code == 404
    me = person()
    client.force_login(me)
    assert client.get("/mon-espace/agenda/nouvelle-adresse/").status_code == 405
    assert not CalendarToken.objects.filter(user=me).exists()


def test_resetting_needs_a_login_and_a_csrf_token(agenda):
    from django.test import Client

    anonymous = Client()
    response = anonymous.post("/mon-espace/agenda/nouvelle-adresse/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    me = person()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(me)
    assert strict.post("/mon-espace/agenda/nouvelle-adresse/").status_code == 403
    assert not CalendarToken.objects.filter(user=me).exists()


def test_a_deactivated_account_has_no_feed(client):
    me = person()
    client.force_login(me)
    client.post("/mon-espace/agenda/nouvelle-adresse/")
    token = CalendarToken.objects.get(user=me).token
    me.is_active = False
    me.save()

    assert client.get(f"/mon-espace/agenda/{token}.ics").status_code == 404


# --- The two writers agree ---------------------------------------------------------


def test_feed_writer_and_icalendar_writer_say_the_same(agenda):
    from events.calendar import event_calendar, feed_ical, feed_rows
    from events.models import EventPage

    first = in_days(12)
    event = EventPageFactory(
        parent=agenda,
        title="Cybersécurité ; élus, agents & « données » \\ tous",
        lead=(
            "Une journée pour comprendre les risques numériques, s'y préparer ; "
            "et échanger entre collectivités.\nDeuxième ligne : é à ç ü 😀. "
        )
        * 4,
        online=True,
        online_link="https://visio.example.org/salle?id=1,2;3",
        city="",
        sequence=3,
    )
    event.sessions = [
        EventSession(
            start=first, end=first + datetime.timedelta(hours=3), label="Jour 1"
        ),
        EventSession(
            start=first + datetime.timedelta(days=7),
            end=first + datetime.timedelta(days=7, hours=2),
            label="Jour 2, à distance",
        ),
    ]
    event.save_revision().publish()
    queryset = EventPage.objects.filter(pk=event.pk)

    fast = feed_ical(feed_rows(queryset), name="Retex", online_links=True)
    slow = event_calendar(
        queryset.prefetch_related("sessions"), name="Retex", online_links=True
    ).to_ical()

    fast_calendar, fast_other = parse(fast)
    slow_calendar, _ = parse(slow)
    assert all(len(line) <= 75 for line in fast.split(b"\r\n"))
    assert fast_calendar.walk("VTIMEZONE")
    fast_events, slow_events = by_uid(fast_calendar), by_uid(slow_calendar)
    assert (
        set(fast_events) == set(slow_events) == {event.ical_uid, f"2-{event.ical_uid}"}
    )
    for uid, component in fast_events.items():
        other = slow_events[uid]
        assert set(component) == set(other)
        for name in component:
            if name == "DTSTAMP":
                continue
            assert component.decoded(name) == other.decoded(name), name
        assert component["DTSTART"].params["TZID"] == "Europe/Paris"
    description = str(fast_events[event.ical_uid].decoded("DESCRIPTION"))
    assert description.startswith(event.lead.strip()[:40])
    assert "Lien de connexion : https://visio.example.org/salle?id=1,2;3" in description
    assert fast_other.vevent_list[0].summary.value.startswith("Cybersécurité ; élus,")
