"""Editors see reports in the admin, and hide or restore what members wrote."""

import pytest

from aid.models import Answer, QuestionStatus
from tests.aid.test_journeys import answer, ask, text_of
from tests.factories import give_mfa
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_an_editor_sees_a_report_and_hides_the_answer_for_members(
    client, people, mailoutbox, committed
):
    question, _ = ask(client, people["asker"])
    answer(client, people["helper"], question, body="Numéro privé : 06 12 34 56 78.")
    reply = Answer.objects.get()
    client.force_login(people["colleague"])
    client.post(
        f"/entraide/reponses/{reply.pk}/signaler/",
        {"reason": "Un numéro de téléphone personnel"},
    )
    # The asker had chosen it: hiding it reopens the question.
    client.force_login(people["asker"])
    client.post(f"/entraide/reponses/{reply.pk}/solution/")

    editor = give_mfa(people["editor"])
    client.force_login(editor)
    reports = text_of(client.get("/admin/entraide/signalements/"))
    assert "Un numéro de téléphone personnel" in reports
    # Hiding says why: the author receives the reason.
    response = client.post(
        f"/admin/entraide/reponses/edit/{reply.pk}/", {"hidden": "on"}
    )
    assert response.status_code == 200
    assert "l'auteur reçoit ce motif" in visible_text(response.content.decode())
    reply.refresh_from_db()
    assert not reply.hidden
    mailoutbox.clear()
    response = committed(
        client.post,
        f"/admin/entraide/reponses/edit/{reply.pk}/",
        {"hidden": "on", "reason": "Un numéro de téléphone personnel"},
    )
    assert response.status_code == 302
    [told] = mailoutbox
    assert told.to == [people["helper"].email]
    assert "est masquée" in told.subject
    assert "Un numéro de téléphone personnel" in told.body
    assert "Pour contester cette décision" in told.body
    assert "06 12 34 56 78" not in told.body

    reply.refresh_from_db()
    question.refresh_from_db()
    assert reply.hidden and not reply.is_solution
    assert question.status == QuestionStatus.OPEN
    client.force_login(people["colleague"])
    assert "06 12 34 56 78" not in text_of(client.get(question.get_absolute_url()))
    assert client.post(f"/entraide/reponses/{reply.pk}/utile/").status_code == 404

    mailoutbox.clear()
    client.force_login(editor)
    committed(client.post, f"/admin/entraide/reponses/edit/{reply.pk}/", {})
    client.force_login(people["colleague"])
    assert "06 12 34 56 78" in text_of(client.get(question.get_absolute_url()))
    [told] = mailoutbox
    assert told.to == [people["helper"].email]
    assert "de nouveau visible" in told.subject
    assert f"/entraide/{question.pk}-" in told.body


def test_nobody_adds_questions_from_the_admin(client, people, settings):

    admin = give_mfa(people["editor"])
    admin.is_superuser = True
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    assert client.get("/admin/entraide/questions/new/").status_code == 302
