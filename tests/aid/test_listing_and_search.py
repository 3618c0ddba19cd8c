"""`/entraide/`: unanswered and newest first, filters, constant query count; the
search finds questions (and their answers' words) for members only."""

import json
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aid.answers import answer_create, answer_set_hidden
from aid.models import Question
from aid.questions import question_create, question_set_hidden
from retex.visibility import MEMBERS_GROUP

pytestmark = pytest.mark.django_db


def post_question(author, title, **kwargs):
    question, _ = question_create(
        author=author,
        title=title,
        details=kwargs.pop("details", "Quelques précisions."),
        token=uuid.uuid4(),
        **kwargs,
    )
    return question


def post_answer(author, question, body):
    reply, _ = answer_create(
        question_id=question.pk, author=author, body=body, token=uuid.uuid4()
    )
    return reply


def titles(response) -> list[str]:
    page = response.content.decode()
    return [
        q.title
        for q in sorted(Question.objects.all(), key=lambda q: page.find(q.title))
        if q.title in page
    ]


def test_unanswered_questions_come_first_then_the_newest(client, people):
    old = post_question(people["asker"], "Première question ancienne")
    answered = post_question(people["asker"], "Deuxième question répondue")
    post_answer(people["helper"], answered, "Voici.")
    new = post_question(people["helper"], "Troisième question récente")
    client.force_login(people["colleague"])

    response = client.get("/entraide/")

    assert titles(response) == [new.title, old.title, answered.title]


def test_filters_by_theme_status_collectivity_kind_and_region(client, people, theme):
    lannion = post_question(people["asker"], "Question bretonne", themes=[theme])
    lyon = post_question(people["helper"], "Question lyonnaise")
    client.force_login(people["colleague"])

    assert titles(client.get("/entraide/", {"theme": theme.slug})) == [lannion.title]
    assert titles(client.get("/entraide/", {"collectivity_kind": "metropole"})) == [
        lyon.title
    ]
    assert titles(client.get("/entraide/", {"region": "53"})) == [lannion.title]
    assert titles(client.get("/entraide/", {"status": "resolue"})) == []
    # An unknown value is reported in French and ignored.
    response = client.get("/entraide/", {"theme": "inconnu"})
    assert "Ce thème n&#x27;existe pas." in response.content.decode()
    assert len(titles(response)) == 2


def _listing_queries(client, people, count):
    for number in range(count):
        question = post_question(
            people["asker" if number % 2 else "helper"], f"Question numéro {number:03}"
        )
        if number % 3 == 0:
            post_answer(people["colleague"], question, "Une réponse.")
    client.force_login(people["colleague"])
    client.get("/entraide/")  # Session and user read once, as on any page.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/entraide/")
    assert response.status_code == 200
    return len(queries)


def test_the_listing_costs_the_same_for_3_and_30_questions(
    client, people, django_assert_max_num_queries
):
    few = _listing_queries(client, people, 3)
    Question.objects.all().delete()
    many = _listing_queries(client, people, 30)

    assert many == few
    with django_assert_max_num_queries(few):
        client.get("/entraide/")


def test_members_find_a_question_by_its_answers_words_others_do_not(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = post_question(people["asker"], "Conseillers numériques mutualisés")
        post_answer(people["helper"], question, "Une convention avec le département.")

    client.force_login(people["colleague"])
    found = json.loads(client.get("/api/search/", {"q": "convention"}).content)
    assert [r["title"] for r in found["results"]] == [question.title]
    assert found["results"][0]["kind"] == "question"
    assert found["results"][0]["url"].endswith(question.get_absolute_url())
    assert "Question" in client.get("/recherche/", {"q": "convention"}).content.decode()

    client.force_login(people["outsider"])
    assert (
        json.loads(client.get("/api/search/", {"q": "convention"}).content)["count"]
        == 0
    )
    client.logout()
    assert (
        json.loads(client.get("/api/search/", {"q": "mutualisés"}).content)["count"]
        == 0
    )


def test_hidden_content_leaves_the_search_and_the_pages(
    client, people, django_capture_on_commit_callbacks
):
    committed = django_capture_on_commit_callbacks
    with committed(execute=True):
        question = post_question(people["asker"], "Question à modérer")
        reply = post_answer(people["helper"], question, "Propos zinzolin déplacés.")
    member = people["colleague"]
    assert member.groups.filter(name=MEMBERS_GROUP).exists()
    client.force_login(member)

    def search(word):
        return json.loads(client.get("/api/search/", {"q": word}).content)["count"]

    assert search("zinzolin") == 1
    with committed(execute=True):
        answer_set_hidden(answer_id=reply.pk, hidden=True, by=people["editor"])
    assert search("zinzolin") == 0
    assert "zinzolin" not in client.get(question.get_absolute_url()).content.decode()

    with committed(execute=True):
        question_set_hidden(question_id=question.pk, hidden=True, by=people["editor"])
    assert search("moderer") == 0
    assert client.get(question.get_absolute_url()).status_code == 404
    assert "Question à modérer" not in client.get("/entraide/").content.decode()

    question_set_hidden(question_id=question.pk, hidden=False, by=people["editor"])
    assert client.get(question.get_absolute_url()).status_code == 200
    # Only editors hide.
    with pytest.raises(Exception, match="équipe du réseau"):
        question_set_hidden(question_id=question.pk, hidden=True, by=member)
    assert (
        Group.objects.get(name="Éditeurs")
        .permissions.filter(codename="change_question")
        .exists()
    )
