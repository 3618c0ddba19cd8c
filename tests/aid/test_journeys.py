"""Asking the network, answering, marking, closing: as members would tell it."""

import datetime
import re

import pytest
from django.utils import timezone

from aid.forms import AnswerForm
from aid.models import Answer, Question, QuestionStatus, UsefulMark
from tests.aid.conftest import ask_form

pytestmark = pytest.mark.django_db


def ask(client, user, **extra):
    client.force_login(user)
    response = client.post("/entraide/poser/", ask_form(**extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Question.objects.latest("pk"), response


def answer(client, user, question, body="Nous avons formé six conseillers."):
    client.force_login(user)
    data = {"body": body, "token": str(AnswerForm().initial["token"])}
    return client.post(question.get_absolute_url() + "repondre/", data)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_member_asks_and_the_question_says_who_asks(client, people, places, theme):
    question, response = ask(
        client,
        people["asker"],
        title="Comment organiser l'accueil des usagers éloignés du numérique ?",
        themes=[theme.pk],
    )

    assert response["Location"] == question.get_absolute_url()
    assert question.get_absolute_url().startswith(f"/entraide/{question.pk}-comment-")
    page = text_of(client.get(response["Location"], follow=True))
    assert "Votre question est posée au réseau." in page
    assert "Annaïg Le Goff</span>, DSI" in page
    assert f'<a href="{places["lannion"].url}">Ville de Lannion</a>' in page
    assert "Inclusion numérique" in page
    assert question.collectivity == places["lannion"]
    assert question.status == QuestionStatus.OPEN
    assert question.visibility == "membres"
    # Listed for members.
    client.force_login(people["helper"])
    listing = text_of(client.get("/entraide/"))
    assert "accueil des usagers éloignés du numérique" in listing


def test_a_person_without_a_name_is_shown_by_function_never_by_email(client, people):
    question, _ = ask(client, people["colleague"])

    page = text_of(client.get(question.get_absolute_url()))

    assert "Chargée de mission" in page
    assert "j.martin" not in page


def test_members_answer_and_the_asker_marks_the_solution_shown_first(
    client, people, places
):
    question, _ = ask(client, people["asker"])
    answer(client, people["colleague"], question, body="Première piste : la mairie.")
    response = answer(client, people["helper"], question, body="Six conseillers.")
    second = Answer.objects.get(body="Six conseillers.")
    assert response["Location"].endswith(f"#reponse-{second.pk}")
    assert second.collectivity == places["lyon"]

    # Only the asker may choose the solution.
    client.force_login(people["helper"])
    client.post(f"/entraide/reponses/{second.pk}/solution/")
    assert not Answer.objects.filter(is_solution=True).exists()

    client.force_login(people["asker"])
    response = client.post(f"/entraide/reponses/{second.pk}/solution/", follow=True)

    page = text_of(response)
    assert "la question est résolue" in page
    question.refresh_from_db()
    assert question.status == QuestionStatus.RESOLVED
    assert page.index("Six conseillers.") < page.index("Première piste")
    assert "Paul Bernard</span>, chef de projet inclusion numérique" in page
    # Choosing another answer moves the mark: one solution.
    first = Answer.objects.get(body="Première piste : la mairie.")
    client.post(f"/entraide/reponses/{first.pk}/solution/")
    assert list(Answer.objects.filter(is_solution=True)) == [first]


def test_members_mark_an_answer_useful_once(client, people):
    question, _ = ask(client, people["asker"])
    answer(client, people["helper"], question)
    reply = Answer.objects.get()

    client.force_login(people["colleague"])
    client.post(f"/entraide/reponses/{reply.pk}/utile/")
    client.post(f"/entraide/reponses/{reply.pk}/utile/")
    client.force_login(people["helper"])
    own = client.post(f"/entraide/reponses/{reply.pk}/utile/", follow=True)

    assert UsefulMark.objects.filter(answer=reply).count() == 1
    assert "Vous ne pouvez pas marquer votre propre réponse" in text_of(own)
    page = text_of(client.get(question.get_absolute_url()))
    assert "1 membre l'a trouvée utile" in page


def test_the_asker_closes_the_question_and_it_takes_no_more_answers(client, people):
    question, _ = ask(client, people["asker"])
    client.force_login(people["helper"])
    refused = client.post(question.get_absolute_url() + "clore/", follow=True)
    assert "auteur de la question et l" in text_of(refused)

    client.force_login(people["asker"])
    client.post(question.get_absolute_url() + "clore/")
    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED

    response = answer(client, people["helper"], question)
    assert response.status_code == 400
    assert "Cette question est close" in text_of(response)
    assert not Answer.objects.exists()


def test_an_editor_may_close_any_question(client, people):
    question, _ = ask(client, people["asker"])
    client.force_login(people["editor"])

    client.post(question.get_absolute_url() + "clore/")

    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED


def test_an_author_edits_their_answer_for_thirty_minutes(client, people):
    question, _ = ask(client, people["asker"])
    answer(client, people["helper"], question, body="Premier jet.")
    reply = Answer.objects.get()
    url = f"/entraide/reponses/{reply.pk}/modifier/"

    # Someone else may not.
    client.force_login(people["colleague"])
    client.post(url, {"body": "Pirate."})
    reply.refresh_from_db()
    assert reply.body == "Premier jet."

    client.force_login(people["helper"])
    assert "Modifier ma réponse" in text_of(client.get(url))
    client.post(url, {"body": "Version corrigée."})
    reply.refresh_from_db()
    assert reply.body == "Version corrigée."
    assert reply.edited_at is not None
    assert "modifiée" in text_of(client.get(question.get_absolute_url()))

    Answer.objects.filter(pk=reply.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    late = client.post(url, {"body": "Trop tard."}, follow=True)
    reply.refresh_from_db()
    assert reply.body == "Version corrigée."
    assert "Le délai pour modifier cette réponse est passé." in text_of(late)


def test_a_double_submit_posts_once(client, people):
    client.force_login(people["asker"])
    data = ask_form()
    first = client.post("/entraide/poser/", data)
    second = client.post("/entraide/poser/", data)

    assert Question.objects.count() == 1
    assert first["Location"] == second["Location"]

    question = Question.objects.get()
    client.force_login(people["helper"])
    reply = {"body": "Une seule fois.", "token": str(AnswerForm().initial["token"])}
    client.post(question.get_absolute_url() + "repondre/", reply)
    client.post(question.get_absolute_url() + "repondre/", reply)
    assert Answer.objects.count() == 1


def test_what_members_write_is_shown_as_text_with_links_never_as_html(client, people):
    question, _ = ask(
        client,
        people["asker"],
        details=(
            "Voir **le guide** [de l'ANCT](https://agence-cohesion-territoires.gouv.fr)"
            " <script>alert('x')</script> <b>gras</b>"
            " [piège](javascript:alert(1))"
        ),
    )

    page = client.get(question.get_absolute_url()).content.decode()

    assert "<strong>le guide</strong>" in page
    assert (
        '<a href="https://agence-cohesion-territoires.gouv.fr" '
        'rel="nofollow ugc noopener">de l\'ANCT</a>'
        in page
        or '<a href="https://agence-cohesion-territoires.gouv.fr" '
        'rel="nofollow ugc noopener">de l&#39;ANCT</a>'
        in page
    )
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    assert "javascript:" not in page


def test_the_home_page_invites_to_ask_the_network(client, home_page):
    page = client.get("/").content.decode()

    assert '<a href="/entraide/poser/">Poser une question au réseau</a>' in page
    # A visitor is asked to sign in, then comes back to the form.
    response = client.get("/entraide/poser/")
    assert response["Location"] == "/accounts/login/?next=/entraide/poser/"


def test_asking_and_answering_reach_the_home_page_marks_and_consent_do_not(
    client, people
):
    """The home page shows the latest open questions (aid/home.py): a new
    question or answer makes its stored copies out of date; what it does not
    show changes nothing."""
    from aid.models import Report, UsefulMark
    from retex.page_cache.invalidation import tags_of_write

    question, _ = ask(client, people["asker"])
    answer(client, people["helper"], question)
    reply = Answer.objects.get()

    assert tags_of_write(Question, question) == {"aid:questions"}
    assert tags_of_write(Answer, reply) == {"aid:questions"}
    assert tags_of_write(Question, question, ["consent", "updated_at"]) == set()
    assert tags_of_write(Answer, reply, ["body", "edited_at"]) == set()
    assert tags_of_write(UsefulMark, UsefulMark(answer=reply)) == set()
    assert tags_of_write(Report, Report(answer=reply)) == set()


def test_what_a_member_wrote_is_in_their_data_export_and_outlives_the_account(
    client, people
):
    import json

    question, _ = ask(client, people["asker"], title="Question exportée du réseau")
    answer(client, people["helper"], question, body="Réponse exportée.")

    client.force_login(people["helper"])
    data = json.loads(client.get("/mon-espace/mes-donnees.json").content)
    assert data["entraide"]["reponses"][0]["reponse"] == "Réponse exportée."

    people["helper"].delete()
    client.force_login(people["asker"])
    page = text_of(client.get(question.get_absolute_url()))
    assert "Réponse exportée." in page
    assert "Ancien membre" in page
    assert "Paul Bernard" not in page
