"""From talk to knowledge (a draft resource quoting only who agreed) and public
threads (only when everyone quoted agreed)."""

import json
import uuid

import pytest
from wagtail.models import Page

from aid.answers import answer_create, answer_mark_solution, answer_mark_useful
from aid.drafts import draft_from_question
from aid.errors import AidError
from aid.models import Visibility
from aid.publication import question_set_public
from aid.questions import question_create
from knowledge.models import KnowledgeIndexPage, PracticePage
from tests.aid.conftest import member_of
from tests.factories import give_mfa
from tests.html import visible_text as _visible_text

pytestmark = pytest.mark.django_db


def visible_text(response) -> str:
    return _visible_text(response.content.decode())


@pytest.fixture
def thread(people, places, committed):
    """A resolved question: the solution (its author agreed), a useful answer
    whose author did not agree, the asker did not agree either."""
    other = member_of(places["lyon"], "l.roux@grandlyon.com", first_name="Léa")
    question, _ = question_create(
        author=people["asker"],
        title="Comment former les agents d'accueil au numérique ?",
        details="Notre contexte très personnel à Lannion.",
        token=uuid.uuid4(),
    )
    solution, _ = answer_create(
        question_id=question.pk,
        author=people["helper"],
        body="Nous avons monté **six sessions** avec le CNFPT.",
        token=uuid.uuid4(),
        consent=True,
    )
    useful, _ = answer_create(
        question_id=question.pk,
        author=other,
        body="Une idée que je ne veux pas voir publiée.",
        token=uuid.uuid4(),
    )
    answer_mark_useful(answer_id=useful.pk, user=people["colleague"])
    answer_mark_solution(answer_id=solution.pk, user=people["asker"])
    question.refresh_from_db()
    return {
        "question": question,
        "solution": solution,
        "useful": useful,
        "other": other,
    }


def test_an_editor_turns_a_resolved_question_into_a_draft_practice(
    client, people, places, thread
):
    question = thread["question"]
    editor = give_mfa(people["editor"])
    client.force_login(editor)
    page = visible_text(client.get(question.get_absolute_url()))
    assert "Tirer une ressource de cette question" in page

    response = client.post(
        question.get_absolute_url() + "ressource/", {"kind": "pratique"}
    )

    practice = PracticePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{practice.pk}/edit/"
    assert not practice.live
    assert practice.get_parent().specific_class is KnowledgeIndexPage
    assert practice.collectivity == places["lyon"]
    assert set(practice.related_collectivities.all()) == {
        places["lannion"],
        places["lyon"],
    }
    draft = practice.get_latest_revision_as_object()
    body = json.dumps(list(draft.body.raw_data), ensure_ascii=False)
    assert "six sessions" in body
    # Who did not agree is not quoted: the asker's details, the other answer.
    assert "très personnel" not in body and "très personnel" not in draft.lead
    assert "ne veux pas voir publiée" not in body
    question.refresh_from_db()
    assert question.knowledge_page_id == practice.pk

    # Asked again (a double submit): the same draft.
    client.post(question.get_absolute_url() + "ressource/", {"kind": "pratique"})
    assert PracticePage.objects.count() == 1

    # Members do not see the draft; editors see its admin link.
    assert "Brouillon de ressource" in visible_text(
        client.get(question.get_absolute_url())
    )
    client.force_login(people["colleague"])
    page = visible_text(client.get(question.get_absolute_url()))
    assert "Brouillon" not in page and "a nourri une ressource" not in page

    # Published after review: the thread links to it.
    practice.get_latest_revision().publish()
    page = visible_text(client.get(question.get_absolute_url()))
    assert "Cette question a nourri une ressource" in page
    assert practice.title in page


def test_with_the_askers_consent_the_draft_quotes_the_question(people, thread):
    from aid.questions import question_set_consent

    question_set_consent(
        question_id=thread["question"].pk, user=people["asker"], consent=True
    )
    page, created = draft_from_question(
        question_id=thread["question"].pk, kind="article", by=people["editor"]
    )
    assert created
    draft = page.get_latest_revision_as_object()
    assert "très personnel" in json.dumps(list(draft.body.raw_data), ensure_ascii=False)
    assert draft.kind == "article"


def test_only_editors_and_only_resolved_questions_become_resources(people, thread):
    with pytest.raises(AidError, match="équipe éditoriale"):
        draft_from_question(
            question_id=thread["question"].pk, kind="pratique", by=people["asker"]
        )
    open_question, _ = question_create(
        author=people["asker"],
        title="Une question encore ouverte ici",
        details="…",
        token=uuid.uuid4(),
    )
    with pytest.raises(AidError, match="résolue"):
        draft_from_question(
            question_id=open_question.pk, kind="pratique", by=people["editor"]
        )
    with pytest.raises(AidError, match="retour d'expérience ou un article"):
        draft_from_question(
            question_id=thread["question"].pk, kind="page", by=people["editor"]
        )
    assert not PracticePage.objects.exists()
    assert Page.objects.filter(title__startswith="Une question encore").count() == 0


def test_a_thread_is_public_only_when_everyone_quoted_agreed(
    client, people, thread, committed
):
    question = thread["question"]
    editor = give_mfa(people["editor"])
    with pytest.raises(AidError, match="il manque l'accord de l'auteur de la question"):
        question_set_public(question_id=question.pk, public=True, by=editor)
    client.force_login(editor)
    page = visible_text(client.get(question.get_absolute_url()))
    assert "il manque l'accord de" in page

    # Everyone agrees, from the thread's own buttons.
    client.force_login(people["asker"])
    client.post(question.get_absolute_url() + "reprise/", {"consent": "1"})
    client.force_login(thread["other"])
    client.post(f"/entraide/reponses/{thread['useful'].pk}/reprise/", {"consent": "1"})
    client.force_login(people["colleague"])
    with pytest.raises(AidError, match="Seule l'équipe"):
        question_set_public(
            question_id=question.pk, public=True, by=people["colleague"]
        )

    client.force_login(editor)
    committed(
        client.post, question.get_absolute_url() + "publication/", {"public": "1"}
    )
    question.refresh_from_db()
    assert question.visibility == Visibility.PUBLIC

    # Visitors read it, find it in the public search and the sitemap.
    client.logout()
    # An answer posted afterwards without consent stays for members.
    committed(
        answer_create,
        question_id=question.pk,
        author=people["colleague"],
        body="Un avis zinzolin de membre.",
        token=uuid.uuid4(),
    )
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    page = visible_text(response)
    assert question.title in page and "six sessions" in page
    assert "zinzolin" not in page
    found = json.loads(client.get("/api/search/", {"q": "agents d'accueil"}).content)
    assert question.get_absolute_url() in [
        r["url"][-len(question.get_absolute_url()) :] for r in found["results"]
    ]
    assert question.get_absolute_url() in client.get("/sitemap.xml").content.decode()
    assert client.get("/entraide/").status_code == 302

    # The asker withdraws: members only again, everywhere.
    client.force_login(people["asker"])
    committed(client.post, question.get_absolute_url() + "reprise/", {"consent": ""})
    question.refresh_from_db()
    assert question.visibility == Visibility.MEMBERS
    client.logout()
    assert client.get(question.get_absolute_url()).status_code == 302
    found = json.loads(client.get("/api/search/", {"q": "agents d'accueil"}).content)
    assert found["count"] == 0
    assert (
        question.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    )


def test_only_its_author_changes_an_answers_consent(client, people, thread):
    client.force_login(people["asker"])
    response = client.post(
        f"/entraide/reponses/{thread['useful'].pk}/reprise/",
        {"consent": "1"},
        follow=True,
    )
    assert "Seul l'auteur d'une réponse" in visible_text(response)
    thread["useful"].refresh_from_db()
    assert not thread["useful"].consent
