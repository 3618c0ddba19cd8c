"""After an event: « Événement passé », its synthesis (linked both ways) and
materials, and participants told once when the synthesis is out."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.models import EventKind, Registration, RegistrationStatus
from events.registration import RegistrationError, registration_create
from events.synthesis import send_synthesis_notices
from tests.factories import ArticlePageFactory, EventPageFactory
from tests.factories import verified_person as person
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_table(section):
    start = timezone.localtime().replace(
        hour=14, minute=0, second=0, microsecond=0
    ) - datetime.timedelta(days=7)
    return EventPageFactory(
        parent=section("evenements"),
        title="Table ronde sobriété numérique",
        kind=EventKind.ROUND_TABLE,
        start=start,
        end=start + datetime.timedelta(hours=2),
        capacity=30,
    )


@pytest.fixture
def draft_synthesis(section):
    article = ArticlePageFactory(
        parent=section("ressources"), title="Ce que la table ronde a retenu"
    )
    article.unpublish()
    return article


def participant(event, email, *, attended=None, status=RegistrationStatus.CONFIRMED):
    return Registration.objects.create(
        event=event,
        user=person(email),
        status=status,
        attended=attended,
        confirmed_at=timezone.now(),
    )


def test_a_past_event_says_so_and_shows_no_seats_nor_registration(client, round_table):
    html = client.get(round_table.url).content.decode()
    text = visible_text(html)

    assert "Événement passé" in text
    assert "place" not in text.split("Inscription", 1)[1].split("Lieu")[0]
    assert "M'inscrire" not in text
    assert "Connectez-vous pour vous inscrire" not in text
    assert 'action="' + round_table.url + 'inscription/"' not in html
    assert "Ajouter à mon agenda" not in text


def test_nobody_registers_to_a_past_event(round_table):
    with pytest.raises(RegistrationError) as refused:
        registration_create(event_id=round_table.pk, user=person())
    assert refused.value.message == "Événement passé."


def test_the_synthesis_is_linked_both_ways_once_published(
    client, round_table, draft_synthesis, committed
):
    round_table.synthesis = draft_synthesis
    committed(publish, round_table)

    assert "Synthèse" not in visible_text(client.get(round_table.url).content.decode())

    committed(publish, draft_synthesis)

    event_html = client.get(round_table.url).content.decode()
    assert f'href="{draft_synthesis.url}"' in event_html
    assert "Synthèse : Ce que la table ronde a retenu" in visible_text(event_html)
    article_html = client.get(draft_synthesis.url).content.decode()
    assert f'href="{round_table.url}"' in article_html
    assert "Synthèse de l'événement : Table ronde sobriété numérique" in (
        visible_text(article_html)
    )


def test_materials_are_shown_after_the_event(client, round_table, committed):
    round_table.materials = [
        (
            "link",
            {
                "label": "Présentation de l'ADEME",
                "url": "https://example.org/ademe.pdf",
                "page": None,
            },
        )
    ]
    committed(publish, round_table)
    html = client.get(round_table.url).content.decode()
    assert "Supports" in visible_text(html)
    assert 'href="https://example.org/ademe.pdf"' in html


def test_an_upcoming_event_keeps_its_materials_for_later(client, section):
    event = EventPageFactory(parent=section("evenements"))
    event.materials = [
        ("link", {"label": "Diaporama", "url": "https://example.org/d", "page": None})
    ]
    publish(event)
    text = visible_text(client.get(event.url).content.decode())
    assert "Diaporama" not in text
    assert "Événement passé" not in text


def test_participants_are_told_once_when_the_synthesis_is_published(
    round_table, draft_synthesis, committed
):
    participant(round_table, "present@ville.fr", attended=True)
    participant(round_table, "pas-pointe@ville.fr")
    participant(round_table, "absent@ville.fr", attended=False)
    participant(round_table, "annule@ville.fr", status=RegistrationStatus.CANCELLED)
    participant(round_table, "attente@ville.fr", status=RegistrationStatus.WAITLISTED)
    round_table.synthesis = draft_synthesis
    committed(publish, round_table)
    assert mail.outbox == []

    committed(publish, draft_synthesis)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "pas-pointe@ville.fr",
        "present@ville.fr",
    ]
    message = mail.outbox[0]
    assert "Synthèse : Table ronde sobriété numérique" in visible_text(message.subject)
    assert draft_synthesis.url in message.body
    assert "http://" in message.body

    mail.outbox.clear()
    committed(publish, draft_synthesis)  # Republished: nobody twice.
    committed(send_synthesis_notices.call, event_id=round_table.pk)
    assert mail.outbox == []


def test_choosing_an_already_published_synthesis_tells_participants(
    round_table, section, committed
):
    participant(round_table, "present@ville.fr", attended=True)
    article = ArticlePageFactory(parent=section("ressources"), title="Synthèse")
    round_table.synthesis = article
    committed(publish, round_table)
    assert [m.to for m in mail.outbox] == [["present@ville.fr"]]


def test_a_members_only_synthesis_is_announced_only_to_who_may_read_it(
    client, round_table, draft_synthesis, committed
):
    members = Group.objects.get(name="Membres")
    restriction = PageViewRestriction.objects.create(
        page=draft_synthesis, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([members])
    member = participant(round_table, "membre@ville.fr", attended=True).user
    member.groups.add(members)
    outsider = participant(round_table, "dehors@ville.fr", attended=True)
    round_table.synthesis = draft_synthesis
    committed(publish, round_table)

    committed(publish, draft_synthesis)

    assert [m.to for m in mail.outbox] == [["membre@ville.fr"]]
    outsider.refresh_from_db()
    assert outsider.synthesis_notice_sent_at is None
    # Nor is its title shown to those who may not read it.
    assert "Ce que la table ronde" not in client.get(round_table.url).content.decode()
    client.force_login(member)
    assert "Ce que la table ronde" in client.get(round_table.url).content.decode()


def test_the_synthesis_email_checks_visibility_when_it_is_sent(
    round_table, draft_synthesis, committed
):
    from events.synthesis import send_synthesis_email

    registration = participant(round_table, "present@ville.fr", attended=True)
    round_table.synthesis = draft_synthesis
    publish(round_table)
    # Unpublished between the claim and the sending: nothing goes out.
    assert send_synthesis_email.call(registration_id=registration.pk) is False
    assert mail.outbox == []
