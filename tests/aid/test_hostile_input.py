"""What a careless or hostile client sends: NUL bytes, over-long text, unknown
ids, forged tokens, non-members' POSTs, floods. Clear French answers, no 500,
nothing written."""

import pytest

from aid.models import Answer, Question, Report
from tests.aid.conftest import ask_form
from tests.aid.test_journeys import answer, ask

pytestmark = pytest.mark.django_db


def test_nul_bytes_are_refused_in_french(client, people):
    client.force_login(people["asker"])

    response = client.post("/entraide/poser/", ask_form(title="Une question\x00 ?"))

    assert response.status_code == 200
    assert "Le caractère nul n\u2019est pas autorisé." in response.content.decode()
    assert not Question.objects.exists()


def test_over_long_text_is_refused_with_the_limit(client, people):
    client.force_login(people["asker"])

    response = client.post(
        "/entraide/poser/", ask_form(title="Q" * 201, details="x" * 10_001)
    )

    page = response.content.decode()
    assert "Ce texte est trop long : 200 caractères au plus (il en compte 201)." in (
        page.replace("\u00a0", " ")
    )
    assert "10000 caractères au plus" in page.replace("\u00a0", " ")
    assert 'aria-invalid="true"' in page
    assert not Question.objects.exists()


def test_a_forged_or_missing_token_asks_to_reload(client, people):
    client.force_login(people["asker"])

    for token in ("", "pas-un-uuid"):
        response = client.post("/entraide/poser/", ask_form(token=token))
        assert "rechargez la page" in response.content.decode()
    assert not Question.objects.exists()


def test_unknown_ids_are_not_found(client, people):
    client.force_login(people["asker"])

    assert client.get("/entraide/999999-rien/").status_code == 404
    assert client.post("/entraide/999999-rien/repondre/").status_code == 404
    assert client.post("/entraide/reponses/999999/utile/").status_code == 404
    assert client.get("/entraide/99999999999999999999999-x/").status_code == 404


def test_a_wrong_slug_redirects_to_the_question(client, people):
    question, _ = ask(client, people["asker"])

    response = client.get(f"/entraide/{question.pk}-autre-chose/")

    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()


def test_non_members_are_told_how_to_join_and_nothing_is_written(client, people):
    question, _ = ask(client, people["asker"])
    answer(client, people["helper"], question)
    reply = Answer.objects.get()
    outsider, editor = people["outsider"], people["editor"]
    posts = [
        ("/entraide/poser/", ask_form()),
        (question.get_absolute_url() + "repondre/", {"body": "x", "token": "x"}),
        (question.get_absolute_url() + "signaler/", {"reason": "x"}),
        (f"/entraide/reponses/{reply.pk}/utile/", {}),
        (f"/entraide/reponses/{reply.pk}/solution/", {}),
        (f"/entraide/reponses/{reply.pk}/signaler/", {"reason": "x"}),
    ]
    client.force_login(outsider)
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "Comment rejoindre l" in response.content.decode()
    # Editors read and moderate, they do not speak for a collectivity.
    client.force_login(editor)
    assert client.post(*posts[0]).status_code == 403
    client.logout()
    for url, data in posts:
        assert client.post(url, data)["Location"].startswith("/accounts/login/")

    assert Question.objects.count() == 1
    assert Answer.objects.count() == 1
    assert not Report.objects.exists()
    assert not reply.useful_marks.exists()


def test_a_member_reports_once_and_editors_see_it(client, people):
    question, _ = ask(client, people["asker"])
    client.force_login(people["helper"])
    url = question.get_absolute_url() + "signaler/"

    empty = client.post(url, {"reason": ""})
    assert "Dites ce qui pose problème." in empty.content.decode()
    client.post(url, {"reason": "Données personnelles"})
    client.post(url, {"reason": "Données personnelles"})

    assert Report.objects.get().target == question


def test_posting_is_rate_limited(client, people, settings):
    settings.RETEX_RATE_LIMITS = {**settings.RETEX_RATE_LIMITS, "aid_post": "2/h"}
    client.force_login(people["asker"])

    answers = [
        client.post("/entraide/poser/", ask_form(title=f"Question numéro {n}"))
        for n in range(3)
    ]

    assert [r.status_code for r in answers] == [302, 302, 429]
    assert "Retry-After" in answers[2]
    assert Question.objects.count() == 2
