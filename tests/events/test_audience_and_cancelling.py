"""Who an event is for, said before registering and enforced by the service; and
cancelling, confirmed on a page of its own that says what will happen."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Audience, EventKind, RegistrationStatus
from events.registration import RegistrationError, registration_create
from members.models import PersonStatus
from tests.factories import EventPageFactory
from tests.factories import verified_person as person
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def for_elected(section):
    return EventPageFactory(
        parent=section("evenements"),
        title="Table ronde des élus au numérique",
        kind=EventKind.ROUND_TABLE,
        audience=Audience.ELECTED,
        capacity=20,
    )


def panel(client, event) -> str:
    html = client.get(event.url).content.decode()
    return html[html.index('id="registration-title"') : html.index("</aside>")]


# --- The audience -------------------------------------------------------------------


def test_an_agent_is_told_why_before_any_button_and_the_service_refuses(
    client, for_elected
):
    agent = person(status=PersonStatus.AGENT, function_title="DSI")
    client.force_login(agent)

    html = panel(client, for_elected)
    text = visible_text(html)

    assert "Réservé aux élus et élues des collectivités" in text
    assert "votre profil indique que vous êtes agent" in text
    assert "M'inscrire" not in text
    assert "inscription/" not in html
    with pytest.raises(RegistrationError) as refused:
        registration_create(event_id=for_elected.pk, user=agent)
    assert "réservé aux élus et élues" in refused.value.message
    # The same words, page and service.
    assert visible_text(refused.value.message) in text
    assert not for_elected.registrations.exists()


def test_a_post_by_hand_is_refused_with_the_same_reason(client, for_elected):
    agent = person(status=PersonStatus.AGENT)
    client.force_login(agent)
    response = client.post(for_elected.url + "inscription/", follow=True)
    assert "réservé aux élus et élues" in visible_text(response.content.decode())
    assert not for_elected.registrations.exists()


def test_an_elected_official_registers(client, for_elected):
    elue = person(status=PersonStatus.ELECTED)
    client.force_login(elue)
    text = visible_text(panel(client, for_elected))
    assert "Réservé aux élus et élues des collectivités" in text
    assert "M'inscrire" in text
    registration, _ = registration_create(event_id=for_elected.pk, user=elue)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_someone_without_a_declared_function_is_asked_for_it(client, for_elected):
    client.force_login(person(status=""))
    html = panel(client, for_elected)
    assert "indiquez votre fonction dans votre profil" in visible_text(html)
    assert "Indiquer ma fonction dans Mon espace" in visible_text(html)


def test_anonymous_visitors_read_the_rule_before_signing_in(client, for_elected):
    text = visible_text(panel(client, for_elected))
    assert "Réservé aux élus et élues des collectivités" in text
    assert "Connectez-vous pour vous inscrire" in text


def test_agents_only_and_open_events(section):
    for_agents = EventPageFactory(parent=section("evenements"), audience="agents")
    for_all = EventPageFactory(parent=section("evenements"), audience="tous")
    elu = person(status=PersonStatus.ELECTED)
    with pytest.raises(RegistrationError, match="réservé aux agents"):
        registration_create(event_id=for_agents.pk, user=elu)
    assert registration_create(event_id=for_all.pk, user=elu)[1] is True


# --- Cancelling ---------------------------------------------------------------------


def test_cancelling_asks_first_and_says_the_seat_goes_to_the_waitlist(client, section):
    event = EventPageFactory(parent=section("evenements"), capacity=1)
    me, next_in_line = person(), person("suivante@ville.fr")
    registration_create(event_id=event.pk, user=me)
    registration_create(event_id=event.pk, user=next_in_line)
    client.force_login(me)

    page = client.get(event.url + "desinscription/")

    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Annuler mon inscription ?" in text
    assert "Votre place ira aussitôt à la première personne de la liste" in text
    assert "Non, garder mon inscription" in text
    assert event.registrations.get(user=me).status == RegistrationStatus.CONFIRMED

    mail.outbox.clear()
    html = page.content.decode()
    action = re.search(r'<form method="post" action="([^"]+)"', html).group(1)
    response = client.post(action)

    assert response.url == event.url
    assert event.registrations.get(user=me).status == RegistrationStatus.CANCELLED


def test_leaving_the_waitlist_says_the_position(client, section):
    event = EventPageFactory(parent=section("evenements"), capacity=1)
    registration_create(event_id=event.pk, user=person())
    me = person()
    registration_create(event_id=event.pk, user=me)
    client.force_login(me)
    text = visible_text(client.get(event.url + "desinscription/").content.decode())
    assert "Quitter la liste d'attente ?" in text
    assert "où vous êtes en position 1" in text


def test_after_the_deadline_the_page_says_so_and_offers_no_button(client, section):
    event = EventPageFactory(
        parent=section("evenements"),
        cancellation_deadline=timezone.now() + datetime.timedelta(hours=1),
    )
    me = person()
    registration_create(event_id=event.pk, user=me)
    type(event).objects.filter(pk=event.pk).update(
        cancellation_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(me)
    html = client.get(event.url + "desinscription/").content.decode()
    assert "La date limite de désinscription est passée" in visible_text(html)
    assert "<button" not in html.split("<main", 1)[-1].split("</main>")[0] or (
        "Oui, annuler" not in html
    )


def test_the_confirmation_page_is_for_registered_people_only(client, section):
    event = EventPageFactory(parent=section("evenements"))
    login = client.get(event.url + "desinscription/")
    assert login.status_code == 302 and "/accounts/login/" in login.url
    client.force_login(person())
    assert client.get(event.url + "desinscription/").url == event.url
