""" "Mes inscriptions" in Mon espace, and where the online link may appear."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Registration, RegistrationStatus
from events.registration import registration_create, registration_set_attendance
from tests.factories import EventPageFactory, UserFactory
from tests.factories import verified_person as person
from tests.html import visible_text

pytestmark = pytest.mark.django_db

LINK = "https://visio.example.org/retex-secret-room"


def register(event, user):
    return registration_create(event_id=event.pk, user=user)[0]


@pytest.fixture
def agenda(section):
    return section("evenements")


@pytest.fixture
def webinar(agenda):
    return EventPageFactory(
        parent=agenda,
        title="Webinaire identité numérique",
        online=True,
        online_link=LINK,
        city="",
        capacity=1,
    )


def my_space(client) -> str:
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    return response.content.decode()


def section_html(html: str) -> str:
    match = re.search(
        r'<section class="panel" aria-labelledby="registrations-title">.*?</section>',
        html,
        re.DOTALL,
    )
    assert match, "no « Mes inscriptions » section"
    return match.group(0)


def test_upcoming_registrations_with_status_link_and_cancel_button(
    client, agenda, webinar
):
    me = person()
    training = EventPageFactory(parent=agenda, title="Formation RGPD", capacity=1)
    register(training, person())  # Takes the only seat.
    register(webinar, me)
    register(training, me)  # Waiting, first in line.
    client.force_login(me)

    html = section_html(my_space(client))
    text = visible_text(html)
    assert "Mes inscriptions" in text
    assert "Webinaire identité numérique" in text
    assert "Inscription confirmée" in text
    assert LINK in html
    assert "Formation RGPD" in text
    assert "Liste d'attente, position 1" in text
    for event in (webinar, training):
        assert f'href="{event.url}desinscription/"' in html


def test_the_cancel_link_asks_then_cancels(client, webinar):
    me = person()
    register(webinar, me)
    client.force_login(me)
    html = section_html(my_space(client))
    link = re.search(r'href="([^"]*desinscription/)"', html).group(1)
    page = client.get(link).content.decode()
    assert "Annuler mon inscription ?" in visible_text(page)
    assert Registration.objects.get(event=webinar, user=me).status == "confirmee"
    action = re.search(r'action="([^"]*desinscription/)"', page).group(1)
    client.post(action)
    registration = Registration.objects.get(event=webinar, user=me)
    assert registration.status == RegistrationStatus.CANCELLED
    assert "Webinaire identité numérique" not in visible_text(
        section_html(my_space(client))
    )


def test_no_cancel_button_after_the_deadline(client, agenda):
    me = person()
    event = EventPageFactory(
        parent=agenda,
        cancellation_deadline=timezone.now() + datetime.timedelta(minutes=1),
    )
    registration = register(event, me)
    type(event).objects.filter(pk=event.pk).update(
        cancellation_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(me)
    html = section_html(my_space(client))
    assert event.title in visible_text(html)
    assert "desinscription/" not in html
    assert registration.status == RegistrationStatus.CONFIRMED


def test_waiting_people_do_not_get_the_online_link(client, webinar):
    register(webinar, person())
    me = person()
    register(webinar, me)
    client.force_login(me)
    html = section_html(my_space(client))
    assert "Liste d'attente, position 1" in visible_text(html)
    assert LINK not in my_space(client)


def test_past_registrations_with_a_certificate_when_eligible(client, agenda):
    me = person()
    staff = UserFactory(is_staff=True, is_superuser=True)
    past = []
    for title in ["Atelier cartographie", "Table ronde cloud", "Formation achats"]:
        start = timezone.now() - datetime.timedelta(days=5)
        event = EventPageFactory(
            parent=agenda,
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=2),
        )
        past.append(
            Registration.objects.create(
                event=event, user=me, status=RegistrationStatus.CONFIRMED
            )
        )
    present, absent, _unmarked = past
    registration_set_attendance(registration_id=present.pk, attended=True, by=staff)
    registration_set_attendance(registration_id=absent.pk, attended=False, by=staff)
    client.force_login(me)

    html = section_html(my_space(client))
    text = visible_text(html)
    assert "Passées" in text
    for title in ["Atelier cartographie", "Table ronde cloud", "Formation achats"]:
        assert title in text
    links = re.findall(r'href="(/mon-espace/attestations/\d+/attestation\.pdf)"', html)
    assert links == [f"/mon-espace/attestations/{present.pk}/attestation.pdf"]
    assert client.get(links[0]).status_code == 200


def test_only_my_own_registrations(client, agenda, webinar):
    me, other = person(), person()
    secret = EventPageFactory(parent=agenda, title="Comité restreint")
    register(secret, other)
    register(webinar, other)
    client.force_login(me)
    html = my_space(client)
    text = visible_text(section_html(html))
    assert "Comité restreint" not in text
    assert "Webinaire identité numérique" not in text
    assert "Aucune inscription à venir." in text
    assert LINK not in html


def test_mes_inscriptions_reads_a_constant_number_of_queries(client, agenda):
    me = person()
    client.force_login(me)

    def add(count):
        for _ in range(count):
            event = EventPageFactory(parent=agenda, capacity=1)
            register(event, person())
            register(event, me)  # Waiting: a position to compute.
            confirmed = EventPageFactory(parent=agenda, online=True, online_link=LINK)
            register(confirmed, me)

    def queries():
        with CaptureQueriesContext(connection) as context:
            my_space(client)
        return len(context)

    add(1)
    my_space(client)
    few = queries()
    add(4)
    assert queries() == few


# --- The online link never reaches a non-participant --------------------------------


def test_the_event_page_shows_the_online_link_to_confirmed_participants_only(
    client, webinar
):
    assert LINK not in client.get(webinar.url).content.decode()  # Anonymous.

    stranger = person()
    client.force_login(stranger)
    assert LINK not in client.get(webinar.url).content.decode()

    holder = person()
    register(webinar, holder)
    waiting = person()
    register(webinar, waiting)
    client.force_login(waiting)
    page = client.get(webinar.url).content.decode()
    assert "liste d'attente" in page
    assert LINK not in page

    client.force_login(holder)
    assert LINK in client.get(webinar.url).content.decode()

    cancelled = Registration.objects.get(event=webinar, user=holder)
    Registration.objects.filter(pk=cancelled.pk).update(
        status=RegistrationStatus.CANCELLED
    )
    assert LINK not in client.get(webinar.url).content.decode()
