"""The follow button (a POST form, no JavaScript) and `/mon-espace/abonnements/`."""

import pytest

from following.models import Follow, FollowKind, Frequency
from following.preferences import preferences_of
from tests.factories import CollectivityPageFactory, verified_person
from tests.following.conftest import member
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_follow_a_collectivity_from_its_page_and_stop(client, section):
    page = publish(CollectivityPageFactory(parent=section("membres"), title="Lannion"))
    assert "Connectez-vous pour suivre" in text_of(client.get(page.url))
    person = verified_person()
    client.force_login(person)
    assert "Suivre « Lannion »" in text_of(client.get(page.url))

    answer = client.post(
        "/mon-espace/abonnements/suivre/",
        {
            "kind": "collectivity",
            "object_id": page.pk,
            "action": "suivre",
            "next": page.url,
        },
        follow=True,
    )
    assert answer.redirect_chain[-1][0] == page.url
    assert "Ne plus suivre « Lannion »" in text_of(answer)
    assert Follow.objects.filter(user=person, kind=FollowKind.COLLECTIVITY).count() == 1

    text = text_of(client.get("/mon-espace/abonnements/"))
    assert "Collectivité : Lannion" in text

    client.post(
        "/mon-espace/abonnements/suivre/",
        {"kind": "collectivity", "object_id": page.pk, "action": "ne-plus-suivre"},
    )
    assert not Follow.objects.filter(user=person).exists()


def test_follow_a_search_with_its_filters(client):
    person = verified_person()
    client.force_login(person)
    text = text_of(client.get("/recherche/", {"q": "tiers-lieux", "region": "53"}))
    assert "Suivre cette recherche" in text
    client.post(
        "/mon-espace/abonnements/suivre/",
        {"kind": "search", "q": "tiers-lieux", "f_region": "53", "action": "suivre"},
    )
    saved = Follow.objects.get(user=person)
    assert (saved.query, saved.filters) == ("tiers-lieux", {"region": "53"})
    assert "Ne plus suivre" in text_of(
        client.get("/recherche/", {"q": "tiers-lieux", "region": "53"})
    )
    # Another region is another search.
    assert "Suivre cette recherche" in text_of(
        client.get("/recherche/", {"q": "tiers-lieux", "region": "11"})
    )
    assert "Recherche enregistrée : « tiers-lieux » (région : 53)" in text_of(
        client.get("/mon-espace/abonnements/")
    )


def test_follow_a_theme_from_the_resources_and_the_preferences_page(client, theme):
    person = verified_person()
    client.force_login(person)
    text = text_of(client.get("/ressources/", {"theme": theme.slug}))
    assert "Suivre « Tiers-lieux »" in text
    page = client.get("/mon-espace/abonnements/")
    assert "Suivre le thème Tiers-lieux" in text_of(page)
    client.post(
        "/mon-espace/abonnements/suivre/",
        {"kind": "theme", "object_id": theme.pk, "action": "suivre"},
    )
    assert "Ne plus suivre le thème Tiers-lieux" in text_of(
        client.get("/mon-espace/abonnements/")
    )


def test_frequency_and_categories_are_changed_on_the_preferences_page(client):
    person = verified_person()
    client.force_login(person)
    answer = client.post(
        "/mon-espace/abonnements/",
        {"frequency": "quotidien", "letter": "on", "events": "on"},
        follow=True,
    )
    assert "Vos préférences de courriel sont enregistrées." in text_of(answer)
    preference = preferences_of(type(person).objects.get(pk=person.pk))
    assert preference.frequency == Frequency.DAILY
    assert (preference.letter, preference.aid, preference.events) == (True, False, True)
    # A value that is not a choice: a French error, nothing changes.
    answer = client.post(
        "/mon-espace/abonnements/", {"frequency": "toutes-les-minutes"}
    )
    assert "Sélectionnez un choix valide" in text_of(answer)
    assert (
        preferences_of(type(person).objects.get(pk=person.pk)).frequency
        == Frequency.DAILY
    )


def test_what_one_may_not_see_cannot_be_followed(client):
    from aid.models import Question

    outsider = verified_person()
    question = Question.objects.create(
        title="Quel logiciel de GRC ?", details="…", author=member()
    )
    client.force_login(outsider)
    answer = client.post(
        "/mon-espace/abonnements/suivre/",
        {"kind": "question", "object_id": question.pk, "action": "suivre"},
        follow=True,
    )
    assert "Ce contenu n'existe pas ou ne vous est pas accessible." in text_of(answer)
    assert not Follow.objects.exists()


def test_the_way_back_never_leaves_the_site(client, theme):
    client.force_login(verified_person())
    answer = client.post(
        "/mon-espace/abonnements/suivre/",
        {
            "kind": "theme",
            "object_id": theme.pk,
            "action": "suivre",
            "next": "https://ailleurs.example/",
        },
    )
    assert answer["Location"] == "/mon-espace/abonnements/"


def test_signing_in_is_required(client):
    answer = client.post(
        "/mon-espace/abonnements/suivre/", {"kind": "theme", "object_id": 1}
    )
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert client.get("/mon-espace/abonnements/").status_code == 302


def test_the_page_cache_never_shows_one_person_what_another_follows(
    client, section, settings, monkeypatch
):
    """Signed-in copies of a profile are shared by those who may see the same:
    the follow button (a form with a CSRF token) keeps the page out of them."""
    from django.core.cache import caches
    from django.test import Client

    from retex import page_cache

    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()
    page = publish(CollectivityPageFactory(parent=section("membres"), title="Lannion"))
    follower, other = member("a@lannion.fr"), member("b@lannion.fr")
    client.force_login(follower)
    client.post(
        "/mon-espace/abonnements/suivre/",
        {"kind": "collectivity", "object_id": page.pk, "action": "suivre"},
    )
    client.get(page.url)  # Served messages: rendered again after.
    assert "Ne plus suivre « Lannion »" in text_of(client.get(page.url))
    assert "Ne plus suivre « Lannion »" in text_of(client.get(page.url))
    other_client = Client()
    other_client.force_login(other)
    for _ in range(2):
        text = text_of(other_client.get(page.url))
        assert "Suivre « Lannion »" in text and "Ne plus suivre" not in text
