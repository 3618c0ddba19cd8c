"""Emails of the mutual-aid space: who is told what, in French, with links on
BASE_URL and a one-click unsubscribe, checked again when sent."""

import uuid

import pytest

from aid.answers import answer_create, answer_mark_solution, answer_mark_useful
from aid.notifications import email_for
from aid.questions import question_create, question_set_hidden
from following.preferences import set_category
from members.affiliation import sync_member_group
from members.models import Affiliation, AffiliationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(people):
    question, _ = question_create(
        author=people["asker"],
        title="Quel logiciel pour la gestion des salles ?",
        details="Nous comparons plusieurs offres.",
        token=uuid.uuid4(),
    )
    return question


def reply(question, author, body="Nous utilisons un logiciel libre."):
    answer, _ = answer_create(
        question_id=question.pk, author=author, body=body, token=uuid.uuid4()
    )
    return answer


def test_the_asker_is_told_of_an_answer_in_french_with_links_on_base_url(
    people, question, mailoutbox, committed, settings
):
    settings.BASE_URL = "https://retex.example.org"

    answer = committed(reply, question, people["helper"])

    [email] = mailoutbox
    assert email.to == [people["asker"].email]
    # (Headers fold no-break spaces into spaces.)
    assert email.subject == (
        "[Retex] Nouvelle réponse à votre question « Quel logiciel pour la "
        "gestion des salles ? »"
    )
    link = "https://retex.example.org" + answer.get_absolute_url()
    assert link in email.body
    html = email.alternatives[0][0]
    assert f'href="{link}"' in html
    assert email.extra_headers["List-Unsubscribe"].startswith(
        "<https://retex.example.org/"
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The answer's words stay on the site.
    assert "logiciel libre" not in email.body


def test_answering_ones_own_question_tells_nobody(
    people, question, mailoutbox, committed
):
    committed(reply, question, people["asker"])
    assert mailoutbox == []


def test_marks_tell_the_answers_author_and_the_asker(
    people, question, mailoutbox, committed
):
    answer = committed(reply, question, people["helper"])
    mailoutbox.clear()

    committed(answer_mark_useful, answer_id=answer.pk, user=people["colleague"])
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == sorted(
        [
            (
                people["helper"].email,
                "[Retex] Votre réponse à « Quel logiciel pour la gestion des "
                "salles ? » est jugée utile",
            ),
            (
                people["asker"].email,
                "[Retex] Une réponse à votre question « Quel logiciel pour la "
                "gestion des salles ? » est jugée utile",
            ),
        ]
    )
    mailoutbox.clear()
    # Marked twice (a double submit): nobody is told twice.
    committed(answer_mark_useful, answer_id=answer.pk, user=people["colleague"])
    assert mailoutbox == []

    committed(answer_mark_solution, answer_id=answer.pk, user=people["asker"])
    [email] = mailoutbox
    assert email.to == [people["helper"].email]
    assert "est la solution" in email.subject


def test_what_is_hidden_before_sending_is_not_sent(people, question, committed):
    answer = reply(question, people["helper"])
    kwargs = {
        "kind": "answered",
        "user_id": people["asker"].pk,
        "question_id": question.pk,
        "answer_id": answer.pk,
    }
    assert email_for(**kwargs) is not None

    question_set_hidden(
        question_id=question.pk, hidden=True, by=people["editor"], reason="Hors sujet"
    )
    assert email_for(**kwargs) is None
    # Its author is still told it was hidden, and why.
    told = email_for(
        kind="hidden",
        user_id=people["asker"].pk,
        question_id=question.pk,
        reason="Hors sujet",
    )
    assert "Hors sujet" in told.body


def test_someone_who_left_the_network_or_opted_out_gets_nothing(people, question):
    answer = reply(question, people["helper"])
    kwargs = {
        "kind": "answered",
        "user_id": people["asker"].pk,
        "question_id": question.pk,
        "answer_id": answer.pk,
    }
    set_category(people["asker"], "aid", False)
    assert email_for(**kwargs) is None
    set_category(people["asker"], "aid", True)
    assert email_for(**kwargs) is not None

    Affiliation.objects.filter(user=people["asker"]).update(
        status=AffiliationStatus.ENDED
    )
    sync_member_group(people["asker"])
    assert email_for(**kwargs) is None
