"""The home page shows the network's open questions (issue 20): members read the
latest ones; everybody else only threads made public, the number of open
questions and how to join, never a members-only title. The page cache follows
new questions and answers at once."""

import datetime
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aid.answers import answer_create
from aid.home import open_questions
from aid.models import Answer, Question, QuestionStatus
from aid.publication import question_set_public
from aid.questions import question_create, question_set_hidden
from retex import page_cache
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SECRET = "Comment renégocier le contrat de notre prestataire de messagerie ?"
PUBLIC = "Quels outils pour un budget participatif en ligne ?"


@pytest.fixture
def cache_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-aid-home",
        },
    }
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


def ask(person, title, *, days_ago=0, consent=False):
    question, _ = question_create(
        author=person,
        title=title,
        details="Des précisions.",
        token=uuid.uuid4(),
        consent=consent,
    )
    if days_ago:
        Question.objects.filter(pk=question.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    return question


def reply(person, question, *, consent=False):
    answer, _ = answer_create(
        question_id=question.pk,
        author=person,
        body="Voici notre expérience.",
        token=uuid.uuid4(),
        consent=consent,
    )
    return answer


def home_text(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return visible_text(response.content.decode())


def section_text(client) -> str:
    """The « Questions au réseau » section as read."""
    text = home_text(client)
    start = text.index("Questions au réseau")
    return text[start : start + 1500]


def test_members_see_the_three_latest_open_questions(client, people):
    oldest = ask(
        people["asker"], "Une question ancienne sur le wifi public", days_ago=9
    )
    for days, title in [
        (3, "Qui a mutualisé son DPO avec l'intercommunalité ?"),
        (2, "Comment former les agents au RGAA ?"),
        (1, "Quel logiciel pour la gestion des salles ?"),
    ]:
        ask(people["asker"], title, days_ago=days)
    solved = ask(people["helper"], "Une question déjà résolue sur les tiers-lieux")
    Question.objects.filter(pk=solved.pk).update(status=QuestionStatus.RESOLVED)
    newest = Question.objects.get(title__startswith="Quel logiciel")
    reply(people["helper"], newest)
    reply(people["helper"], newest)
    hidden = reply(people["helper"], newest)
    Answer.objects.filter(pk=hidden.pk).update(hidden=True)

    client.force_login(people["colleague"])
    response = client.get("/")
    text = section_text(client)

    assert "Quel logiciel pour la gestion des salles ?" in text
    assert "2 réponses" in text
    assert "Comment former les agents au RGAA ?" in text
    assert "Sans réponse" in text
    assert "Ville de Lannion" in text
    assert oldest.title not in text
    assert solved.title not in text
    assert "Toutes les questions (4 ouvertes)" in text
    assert f'href="{newest.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_others_see_public_threads_and_how_to_join_never_a_members_title(
    client, people, who
):
    secret = ask(people["asker"], SECRET)
    reply(people["helper"], secret)
    public = ask(people["helper"], PUBLIC, consent=True)
    reply(people["asker"], public, consent=True)
    question_set_public(question_id=public.pk, public=True, by=people["editor"])
    reply(people["colleague"], public)  # not agreed: not counted for visitors
    if who == "outsider":
        client.force_login(people["outsider"])

    response = client.get("/")
    html = response.content.decode()
    text = visible_text(html)

    assert SECRET not in html
    assert secret.get_absolute_url() not in html
    assert "renégocier" not in text
    section = section_text(client)
    assert "2 questions attendent les réponses des collectivités du réseau" in section
    assert PUBLIC in section
    assert "1 réponse" in section
    assert "rattachement à votre collectivité" in section
    assert 'href="/entraide/"' in html


def test_visitors_see_the_count_alone_when_no_thread_is_public(client, people):
    ask(people["asker"], SECRET)
    question = ask(people["asker"], "Une question masquée par l'équipe")
    question_set_hidden(question_id=question.pk, hidden=True, by=people["editor"])

    section = section_text(client)

    assert "1 question attend les réponses" in section
    assert SECRET not in section
    assert "masquée" not in section


def test_the_section_costs_two_queries_whatever_the_number_of_questions(people):
    for number in range(6):
        question = ask(people["asker"], f"Question numéro {number}")
        reply(people["helper"], question)
    for user in (people["colleague"], people["outsider"]):
        with CaptureQueriesContext(connection) as queries:
            section = open_questions(user=user)
            [question.collectivity for question in section["questions"]]
        # Reading who may see members' content is the person's groups, once.
        assert len(queries) <= 3, [q["sql"] for q in queries]


def test_a_new_question_or_answer_shows_on_the_cached_home_page_at_once(
    cache_on, people, committed
):
    visitor = Client()
    member = Client()
    member.force_login(people["colleague"])
    first = ask(people["asker"], "Une première question au réseau")
    assert visitor.get("/").headers["X-Cache"] == "MISS"
    assert visitor.get("/").headers["X-Cache"] == "HIT"
    member.get("/")
    assert member.get("/").headers["X-Cache"] == "HIT"

    committed(ask, people["helper"], "Qui a déjà ouvert une micro-folie ?")
    response = visitor.get("/")
    assert response.headers["X-Cache"] == "MISS"
    assert "2 questions attendent" in visible_text(response.content.decode())
    response = member.get("/")
    assert response.headers["X-Cache"] == "MISS"
    assert "Qui a déjà ouvert une micro-folie ?" in visible_text(
        response.content.decode()
    )
    assert "Qui a déjà ouvert" not in visitor.get("/").content.decode()

    member.get("/")
    assert member.get("/").headers["X-Cache"] == "HIT"
    committed(reply, people["helper"], first)
    response = member.get("/")
    assert response.headers["X-Cache"] == "MISS"
    assert "1 réponse" in visible_text(response.content.decode())


def test_with_no_open_question_visitors_are_told_so(client, people):
    section = section_text(client)

    assert "Aucune question n'attend de réponse pour le moment." in section
    assert "rattachement à votre collectivité" in section
