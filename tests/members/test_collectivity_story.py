"""`/membres/<slug>/` tells the collectivity's story: pages citing it, events it
took part in (counts only), its questions in the mutual-aid space (members only),
at a constant query count."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aid.models import Answer, Question
from events.models import Registration, RegistrationStatus
from members.models import MembershipStatus
from retex.visibility import MEMBERS_GROUP
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    UserFactory,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def lannion(section):
    return publish(
        CollectivityPageFactory(
            parent=section("membres"),
            title="Ville de Lannion",
            department="22",
            membership_status=MembershipStatus.ACTIVE,
        )
    )


def member():
    user = UserFactory(email="membre@exemple.fr")
    group, _created = Group.objects.get_or_create(name=MEMBERS_GROUP)
    user.groups.add(group)
    return user


def article_citing(section, collectivity, title):
    article = ArticlePageFactory(parent=section("ressources"), title=title)
    article.related_collectivities = [collectivity]
    return publish(article)


def test_articles_citing_it_are_listed(client, section, lannion):
    article_citing(section, lannion, "Le Trégor numérique")
    draft = ArticlePageFactory(parent=section("ressources"), title="Brouillon secret")
    draft.related_collectivities = [lannion]
    draft.save_revision()

    text = visible_text(client.get(lannion.url).content.decode())

    assert "On en parle" in text
    assert "Le Trégor numérique" in text
    assert "Brouillon secret" not in text


def test_events_are_counted_never_named(client, section, lannion):
    agenda = section("evenements")
    past = EventPageFactory(
        parent=agenda,
        title="Atelier passé",
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() - datetime.timedelta(days=30, hours=-3),
    )
    upcoming = EventPageFactory(parent=agenda, title="Formation à venir")
    person = UserFactory(first_name="Yann", last_name="Le Goff")
    for event in (past, upcoming):
        Registration.objects.create(
            event=event,
            user=person,
            collectivity=lannion,
            status=RegistrationStatus.CONFIRMED,
        )

    text = visible_text(client.get(lannion.url).content.decode())

    assert "A participé à 1 événement du réseau." in text
    assert "Inscrite à 1 événement à venir." in text
    assert "Yann" not in text


def test_mutual_aid_questions_show_to_members_only(client, lannion):
    author = UserFactory(first_name="Anne", last_name="Kervella")
    question = Question.objects.create(
        title="Quel outil pour les conseils municipaux ?",
        details="Nous cherchons.",
        author=author,
        collectivity=lannion,
    )
    Question.objects.create(
        title="Question masquée", author=author, collectivity=lannion, hidden=True
    )
    Answer.objects.create(
        question=question, author=author, collectivity=lannion, body="Essayez X."
    )

    anonymous = visible_text(client.get(lannion.url).content.decode())
    assert "Dans l'entraide" not in anonymous
    assert "conseils municipaux" not in anonymous

    client.force_login(member())
    text = visible_text(client.get(lannion.url).content.decode())
    assert "1 question posée, 1 réponse donnée" in text
    assert "Quel outil pour les conseils municipaux ?" in text
    assert "Question masquée" not in text


def test_the_profile_takes_a_constant_number_of_queries(client, section, lannion):
    client.force_login(member())
    article_citing(section, lannion, "Premier article")
    client.get(lannion.url)
    with CaptureQueriesContext(connection) as one:
        client.get(lannion.url, {"v": 1})
    for number in range(5):
        article_citing(section, lannion, f"Article {number}")
    with CaptureQueriesContext(connection) as six:
        response = client.get(lannion.url, {"v": 2})
    assert "Article 4" in visible_text(response.content.decode())
    assert len(six) == len(one)
