"""While asking: what already answers the question. Once asked: the
collectivities that already did it, solicited in one click (three at most)."""

import io
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from aid.errors import AidError
from aid.models import (
    MAX_SOLICITATIONS,
    Question,
    Solicitation,
    SolicitationCandidate,
)
from aid.questions import question_create, question_set_hidden
from aid.solicitations import solicit
from members.models import Affiliation, AffiliationRole
from search.indexing import reindex_page
from tests.aid.conftest import ask_form, member_of
from tests.factories import CollectivityPageFactory, PracticePageFactory
from tests.html import visible_text as _visible_text

pytestmark = pytest.mark.django_db

TITLE = "Comment ouvrir un tiers-lieu numérique en zone rurale ?"


def post_question(author, title=TITLE, **kwargs):
    question, _ = question_create(
        author=author,
        title=title,
        details="Nous cherchons des retours.",
        token=uuid.uuid4(),
        **kwargs,
    )
    return question


def visible_text(content) -> str:
    return _visible_text(content.decode() if isinstance(content, bytes) else content)


def make_representative(user):
    Affiliation.objects.filter(user=user).update(role=AffiliationRole.REPRESENTATIVE)


@pytest.fixture
def practices(section, places, committed):
    """A live practice of Lyon on tiers-lieux, one of Lannion (the asker's
    own), and a draft nobody may be pointed to; all indexed."""
    resources = section("ressources")
    lyon = PracticePageFactory(
        parent=resources,
        title="Un tiers-lieu numérique dans les villages de la métropole",
        collectivity=places["lyon"],
    )
    own = PracticePageFactory(
        parent=resources,
        title="Notre tiers-lieu numérique rural à Lannion",
        collectivity=places["lannion"],
    )
    draft = PracticePageFactory(
        parent=resources,
        title="Brouillon : tiers-lieu numérique secret",
        collectivity=places["lyon"],
        live=False,
    )
    for page in (lyon, own, draft):
        reindex_page(page.pk)
    return {"lyon": lyon, "own": own, "draft": draft}


def test_typing_a_title_shows_what_already_answers_it(
    client, people, practices, committed
):
    hidden = committed(post_question, people["helper"], "Tiers-lieu numérique : masqué")
    committed(
        question_set_hidden, question_id=hidden.pk, hidden=True, by=people["editor"]
    )
    client.force_login(people["asker"])
    empty = client.get("/entraide/poser/")
    assert empty.status_code == 200
    assert "Vérifier les réponses existantes" in visible_text(empty.content)
    assert "Ces contenus répondent" not in visible_text(empty.content)

    page = visible_text(
        client.get("/entraide/poser/", {"titre": "tiers-lieu numérique"}).content
    )
    assert "Ces contenus répondent peut-être déjà à votre question" in page
    assert practices["lyon"].title in page
    assert "Brouillon : tiers-lieu numérique secret" not in page
    assert "masqué" not in page

    # The fragment the script fetches says the same, alone.
    fragment = client.get("/entraide/poser/suggestions/", {"titre": "tiers-lieu"})
    assert fragment.status_code == 200
    assert practices["lyon"].title in visible_text(fragment.content)
    assert "<html" not in fragment.content.decode()

    nothing = client.get("/entraide/poser/suggestions/", {"titre": "zinzolin"})
    assert "Rien de publié ne semble encore répondre" in visible_text(nothing.content)


def test_the_check_button_posts_nothing_and_keeps_what_was_typed(
    client, people, practices
):
    client.force_login(people["asker"])
    data = ask_form(title=TITLE, details="Un texte que je ne veux pas retaper.")
    data["verifier"] = "1"

    response = client.post("/entraide/poser/", data)

    assert response.status_code == 200
    assert not Question.objects.exists()
    page = visible_text(response.content)
    assert practices["lyon"].title in page
    assert "Un texte que je ne veux pas retaper." in page
    assert data["token"] in response.content.decode()
    # Then posting the same form posts the question, once.
    data.pop("verifier")
    assert client.post("/entraide/poser/", data).status_code == 302
    assert client.post("/entraide/poser/", data).status_code == 302
    assert Question.objects.count() == 1


def test_only_members_get_suggestions(client, people, practices):
    client.force_login(people["outsider"])
    assert (
        client.get("/entraide/poser/suggestions/", {"titre": "tiers"}).status_code
        == 403
    )
    client.logout()
    response = client.get("/entraide/poser/suggestions/", {"titre": "tiers"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_question_names_who_already_did_it_and_the_asker_solicits_them(
    client, people, places, practices, mailoutbox, committed
):
    make_representative(people["helper"])
    question = post_question(people["asker"])
    client.force_login(people["asker"])

    page = visible_text(client.get(question.get_absolute_url()).content)
    assert "Collectivités qui l'ont déjà fait" in page
    assert "Métropole de Lyon" in page
    assert practices["lyon"].title in page
    # Not the asker's own collectivity, not from a draft.
    assert practices["own"].title not in page
    assert "secret" not in page

    url = question.get_absolute_url() + "solliciter/"
    data = {"collectivity": places["lyon"].pk}
    response = committed(client.post, url, data, follow=True)
    assert "Métropole de Lyon est sollicitée" in visible_text(response.content)
    [email] = mailoutbox
    assert email.to == [people["helper"].email]
    assert "Le réseau sollicite votre collectivité" in email.subject
    assert "http://testserver" not in email.body
    assert question.get_absolute_url() in email.body
    assert email.alternatives and "<a href=" in email.alternatives[0][0]

    # A double submit: no second email, no second solicitation.
    committed(client.post, url, data)
    assert len(mailoutbox) == 1
    assert Solicitation.objects.count() == 1
    page = visible_text(client.get(question.get_absolute_url()).content)
    assert "Sollicitée le" in page
    # In the asker's data export.
    data = client.get("/mon-espace/mes-donnees.json").json()
    [exported] = data["entraide"]["sollicitations"]
    assert exported["collectivite"] == "Métropole de Lyon"


def test_three_collectivities_at_most_each_once_and_only_by_the_asker(
    people, places, section
):
    others = []
    for n in range(MAX_SOLICITATIONS + 1):
        town = CollectivityPageFactory(
            parent=section("membres"),
            title=f"Commune {n}",
            email_domains=f"commune{n}.fr",
        )
        representative = member_of(town, f"maire@commune{n}.fr")
        make_representative(representative)
        others.append(town)
    question = post_question(people["asker"])

    with pytest.raises(AidError, match="Seuls l'auteur"):
        solicit(
            question_id=question.pk,
            collectivity_id=others[0].pk,
            by=people["colleague"],
        )
    for town in others[:MAX_SOLICITATIONS]:
        _solicitation, created = solicit(
            question_id=question.pk, collectivity_id=town.pk, by=people["asker"]
        )
        assert created
    _again, created = solicit(
        question_id=question.pk, collectivity_id=others[0].pk, by=people["asker"]
    )
    assert not created
    with pytest.raises(AidError, match="c'est le maximum"):
        solicit(
            question_id=question.pk,
            collectivity_id=others[-1].pk,
            by=people["asker"],
        )
    with pytest.raises(AidError, match="propre collectivité"):
        solicit(
            question_id=question.pk,
            collectivity_id=places["lannion"].pk,
            by=people["asker"],
        )
    assert Solicitation.objects.filter(question=question).count() == MAX_SOLICITATIONS


def test_a_collectivity_without_representative_cannot_be_solicited(people, places):
    question = post_question(people["asker"])
    with pytest.raises(AidError, match="pas de représentant"):
        solicit(
            question_id=question.pk,
            collectivity_id=places["lyon"].pk,
            by=people["asker"],
        )
    assert not Solicitation.objects.exists()


def test_bad_input_to_solicit_is_refused_in_french(client, people):
    question = post_question(people["asker"])
    client.force_login(people["asker"])
    url = question.get_absolute_url() + "solliciter/"
    for data in ({}, {"collectivity": "abc"}, {"collectivity": "99999999999999999999"}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "Choisissez une collectivité." in visible_text(response.content)
    response = client.post(url, {"collectivity": "424242"}, follow=True)
    assert "ne peut pas être sollicitée" in visible_text(response.content)
    assert not Solicitation.objects.exists()


def test_an_unverified_representative_is_still_told_only_by_their_address(
    people, places, mailoutbox, committed
):
    """Representatives get one email each: nobody learns another's address."""
    make_representative(people["helper"])
    second = member_of(places["lyon"], "second@grandlyon.com")
    make_representative(second)
    EmailAddress.objects.filter(user=second).update(verified=True)
    question = post_question(people["asker"])

    committed(
        solicit,
        question_id=question.pk,
        collectivity_id=places["lyon"].pk,
        by=people["asker"],
    )

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people["helper"].email, "second@grandlyon.com"]
    )
    assert all(len(m.to) == 1 for m in mailoutbox)


def test_who_already_did_it_is_chosen_when_asked_and_read_as_the_reader_may_see(
    client, people, places, practices, section, committed
):
    make_representative(people["helper"])
    question = committed(post_question, people["asker"])

    question.refresh_from_db()
    assert question.candidates_chosen_at is not None
    stored = SolicitationCandidate.objects.get(
        question=question, collectivity=places["lyon"]
    )
    assert [r["page"] for r in stored.resources] == [practices["lyon"].pk]
    # Never the asker's own collectivity.
    assert not SolicitationCandidate.objects.filter(
        question=question, collectivity=places["lannion"]
    ).exists()
    client.force_login(people["asker"])
    page = visible_text(client.get(question.get_absolute_url()).content)
    assert "Métropole de Lyon" in page
    assert practices["lyon"].title in page

    # A practice published since is not a reason until the choice is made
    # again (the command); one unpublished since is never shown.
    brest = CollectivityPageFactory(
        parent=section("membres"), title="Ville de Brest", email_domains="brest.fr"
    )
    make_representative(member_of(brest, "maire@brest.fr"))
    newer = PracticePageFactory(
        parent=section("ressources"),
        title="Un tiers-lieu numérique en zone rurale à Brest",
        collectivity=brest,
    )
    reindex_page(newer.pk)
    committed(practices["lyon"].unpublish)
    page = visible_text(client.get(question.get_absolute_url()).content)
    assert practices["lyon"].title not in page
    assert "Ville de Brest" not in page

    call_command("choose_aid_candidates", stdout=io.StringIO())
    page = visible_text(client.get(question.get_absolute_url()).content)
    assert "Ville de Brest" in page
    assert newer.title in page
