"""The follow button is each person's own part of a page that members share:
the page is stored once for those who may see the same, and each person gets
their own follow state and CSRF token filled in (retex.page_cache)."""

import itertools
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from following.follows import follow
from following.models import Follow, FollowKind
from retex import page_cache
from tests.factories import CollectivityPageFactory
from tests.following.conftest import member
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-following-pages",
        },
    }
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


@pytest.fixture
def profile(section):
    return publish(CollectivityPageFactory(parent=section("membres"), title="Lannion"))


def a_member():
    return member(f"membre{next(NUMBERS)}@lannion.fr")


def signed_in(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def x_cache(response):
    return response.headers.get("X-Cache")


def text_of(response) -> str:
    assert response.status_code == 200
    return visible_text(response.content.decode())


def token_of(response) -> str | None:
    found = TOKEN.search(response.content.decode())
    return found and found.group(1)


def press(client, served, *, kind, object_id, url, action="suivre"):
    return client.post(
        "/mon-espace/abonnements/suivre/",
        {
            "csrfmiddlewaretoken": token_of(served),
            "kind": kind,
            "object_id": object_id,
            "action": action,
            "next": url,
        },
    )


def read_notice(client, url):
    """The page after a button was pressed, with its notice; then the notice
    cookie is gone, as a browser drops a cookie that expired."""
    page = client.get(url)
    for name, cookie in list(client.cookies.items()):
        if not cookie.value:
            del client.cookies[name]
    return page


def stored_shells() -> list[str]:
    store = caches["pages"]
    return [
        entry[3].decode()
        for key in list(store._cache)
        if page_cache.SHELL_PREFIX in key
        for entry in [store.get(key.split(":", 2)[-1])]
        if entry
    ]


def test_members_share_a_profile_each_with_their_own_follow_button(profile):
    follower, other = a_member(), a_member()
    follow(follower, FollowKind.COLLECTIVITY, object_id=profile.pk)
    first, second = signed_in(follower), signed_in(other)

    own = first.get(profile.url)
    shared = second.get(profile.url)

    assert (x_cache(own), x_cache(shared)) == ("MISS", "HIT")
    assert "Ne plus suivre « Lannion »" in text_of(own)
    assert "Suivre « Lannion »" in text_of(shared)
    assert "Ne plus suivre" not in text_of(shared)
    # Each their own token, never the other's.
    assert token_of(own) and token_of(shared)
    assert token_of(own) != token_of(shared)


def test_the_token_of_a_shared_profile_works_and_following_shows_at_once(profile):
    second_person = a_member()
    first, second = signed_in(a_member()), signed_in(second_person)
    first.get(profile.url)  # The shared copy is stored.

    served = second.get(profile.url)
    answer = press(
        second, served, kind="collectivity", object_id=profile.pk, url=profile.url
    )

    assert x_cache(served) == "HIT"
    assert answer.status_code == 302
    assert Follow.objects.filter(user=second_person, object_id=profile.pk).exists()
    # Their next visits say they follow it (with the notice, then from the
    # shared copy); the other member's still offer to follow, from that copy.
    assert "Ne plus suivre « Lannion »" in text_of(read_notice(second, answer.url))
    again = second.get(profile.url)
    assert x_cache(again) == "HIT"
    assert "Ne plus suivre « Lannion »" in text_of(again)
    for_other = first.get(profile.url)
    assert x_cache(for_other) == "HIT"
    assert "Ne plus suivre" not in text_of(for_other)

    stopped = press(
        second,
        again,
        kind="collectivity",
        object_id=profile.pk,
        url=profile.url,
        action="ne-plus-suivre",
    )
    read_notice(second, stopped.url)
    after = second.get(profile.url)
    assert x_cache(after) == "HIT"
    assert "Suivre « Lannion »" in text_of(after)
    assert "Ne plus suivre" not in text_of(after)
    assert not Follow.objects.filter(object_id=profile.pk).exists()


def test_visitors_get_the_invitation_to_sign_in_never_a_form(profile):
    signed_in(a_member()).get(profile.url)  # Members' copy stored.
    visitor = Client()

    pages = [visitor.get(profile.url), visitor.get(profile.url)]

    assert [x_cache(page) for page in pages] == ["MISS", "HIT"]
    for page in pages:
        assert "Connectez-vous pour suivre" in text_of(page)
        assert "csrfmiddlewaretoken" not in page.content.decode()
        assert "csrftoken" not in page.cookies


def test_the_shared_copy_holds_no_follow_state_nor_token(profile):
    follower = a_member()
    follow(follower, FollowKind.COLLECTIVITY, object_id=profile.pk)

    signed_in(follower).get(profile.url)

    shells = stored_shells()
    assert len(shells) == 1
    assert "Lannion" in shells[0]
    for personal in ("Ne plus suivre", "Suivre", "csrfmiddlewaretoken", "follow__"):
        assert personal not in shells[0]


def test_a_profile_from_the_shared_copy_is_the_page_rendered_whole(profile, settings):
    person = a_member()
    client = signed_in(person)
    signed_in(a_member()).get(profile.url)

    served = client.get(profile.url)
    settings.PAGE_CACHE_SECONDS = 0
    whole = client.get(profile.url)

    assert (x_cache(served), x_cache(whole)) == ("HIT", None)
    assert TOKEN.sub("TOKEN", served.content.decode()) == TOKEN.sub(
        "TOKEN", whole.content.decode()
    )


def test_the_shared_profile_is_filled_without_reading_the_page(profile):
    signed_in(a_member()).get(profile.url)
    client = signed_in(a_member())

    with CaptureQueriesContext(connection) as queries:
        served = client.get(profile.url)

    assert x_cache(served) == "HIT"
    assert not [
        q for q in queries if q["sql"].startswith('SELECT "wagtailcore_page"."id"')
    ]


def test_members_share_a_theme_listing_each_with_their_own_button(theme):
    url = f"/ressources/?theme={theme.slug}"
    follower, other = signed_in(a_member()), signed_in(a_member())
    follower.get(url)  # Stores the members' copy.

    served = follower.get(url)
    answer = press(follower, served, kind="theme", object_id=theme.pk, url=url)
    read_notice(follower, answer.url)

    own, shared = follower.get(url), other.get(url)
    assert (x_cache(served), x_cache(own), x_cache(shared)) == ("HIT", "HIT", "HIT")
    assert "Ne plus suivre « Tiers-lieux »" in text_of(own)
    assert "Suivre « Tiers-lieux »" in text_of(shared)
    assert "Ne plus suivre" not in text_of(shared)


def test_pages_without_a_follow_button_are_still_stored_whole(section):
    signed_in(a_member()).get("/ressources/")

    served = signed_in(a_member()).get("/ressources/")

    assert x_cache(served) == "HIT"
    assert stored_shells() == []


def test_a_label_looking_like_markup_is_shown_as_text(section):
    page = publish(
        CollectivityPageFactory(parent=section("membres"), title="Ville <b>-->")
    )
    signed_in(a_member()).get(page.url)

    served = signed_in(a_member()).get(page.url)

    assert x_cache(served) == "HIT"
    assert "Suivre « Ville <b>--> »" in text_of(served)
    assert "<b>-->" not in served.content.decode()
