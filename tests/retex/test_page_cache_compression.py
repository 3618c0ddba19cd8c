"""Stored pages are kept gzip-compressed and sent so to the clients that accept
it (browsers, the benchmark's `wrk`), as WhiteNoise sends static files; the
others get the same page uncompressed. Each copy has its ETag: a browser asking
again for a page it holds gets 304 (retex/page_cache/storage.py).

Run on the in-process cache and on Redis (under a key prefix of the test's own).
"""

import gzip
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import include, path

from retex import page_cache
from retex.page_cache.keys import accepts_gzip
from retex.visibility import MEMBERS_GROUP
from tests.factories import ArticlePageFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["locmem", "redis"], autouse=True)
def pages_cache(request, settings, monkeypatch):
    """The page cache on, in process memory or in the shared Redis (keys under
    a prefix of this test's, deleted afterwards: nothing else is touched)."""
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    if request.param == "locmem":
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "tests-pages-compression",
            },
        }
        caches["pages"].clear()
        yield
        return
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"retex-tests-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "retex.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    yield
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


def x_cache(response):
    return response.headers.get("X-Cache")


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def member():
    user = UserFactory()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    user.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    return user


@pytest.mark.parametrize(
    "url", ["/", "/ressources/", "/membres/", "/evenements/", "/evenements/agenda.ics"]
)
def test_a_browser_gets_the_stored_page_compressed_and_it_is_the_same_page(client, url):
    plain = client.get(url)
    compressed = [client.get(url, headers=BROWSER) for _ in range(2)]

    assert [x_cache(r) for r in (plain, *compressed)] == ["MISS", "HIT", "HIT"]
    assert "Content-Encoding" not in plain
    for response in compressed:
        assert response["Content-Encoding"] == "gzip"
        assert int(response["Content-Length"]) == len(response.content)
        assert len(response.content) < len(plain.content)
        assert gzip.decompress(response.content) == plain.content
        assert response["Content-Type"] == plain["Content-Type"]
        assert "accept-encoding" in vary(response)
    assert "accept-encoding" in vary(plain)
    assert int(plain["Content-Length"]) == len(plain.content)


def test_the_first_visit_is_compressed_too_and_a_client_without_gzip_gets_it_plain(
    client,
):
    first = client.get("/", headers=BROWSER)
    plain = client.get("/")
    refused = client.get("/", headers={"Accept-Encoding": "gzip;q=0, identity"})

    assert (x_cache(first), first["Content-Encoding"]) == ("MISS", "gzip")
    assert gzip.decompress(first.content) == plain.content
    for response in (plain, refused):
        assert x_cache(response) == "HIT"
        assert "Content-Encoding" not in response
        assert "accept-encoding" in vary(response)
        assert "Connexion" in response.content.decode()
    assert refused.content == plain.content


def test_each_encoding_has_its_own_etag_and_a_page_held_is_not_sent_again(client):
    compressed = client.get("/", headers=BROWSER)
    plain = client.get("/")
    assert compressed["ETag"] != plain["ETag"]

    again = client.get("/", headers={**BROWSER, "If-None-Match": compressed["ETag"]})
    assert (again.status_code, x_cache(again)) == (304, "HIT")
    assert again.content == b""
    assert again["ETag"] == compressed["ETag"]
    assert "accept-encoding" in vary(again)

    plain_again = client.get("/", headers={"If-None-Match": plain["ETag"]})
    assert plain_again.status_code == 304

    # The other encoding's copy is not the one held: the page is sent.
    crossed = client.get("/", headers={**BROWSER, "If-None-Match": plain["ETag"]})
    assert crossed.status_code == 200
    assert crossed["Content-Encoding"] == "gzip"


def test_a_changed_page_is_sent_again_with_a_new_etag(client, section, committed):
    held = client.get("/ressources/", headers=BROWSER)
    committed(
        ArticlePageFactory, parent=section("ressources"), title="Budget participatif"
    )

    response = client.get(
        "/ressources/", headers={**BROWSER, "If-None-Match": held["ETag"]}
    )

    assert (response.status_code, x_cache(response)) == (200, "MISS")
    assert response["ETag"] != held["ETag"]
    assert "Budget participatif" in gzip.decompress(response.content).decode()


def test_head_requests_get_the_headers_of_the_compressed_page(client):
    get = client.get("/", headers=BROWSER)

    head = client.head("/", headers=BROWSER)

    assert (head.status_code, x_cache(head)) == (200, "HIT")
    assert head.content == b""
    for header in ("Content-Encoding", "Content-Length", "ETag", "Vary"):
        assert head[header] == get[header]
    assert int(head["Content-Length"]) == len(get.content)


def test_signed_in_people_get_their_own_copy_compressed_never_the_visitors(client):
    visitor = client.get("/", headers=BROWSER)
    signed_in = Client()
    signed_in.force_login(member())

    pages = [signed_in.get("/", headers=BROWSER) for _ in range(2)]

    assert [x_cache(r) for r in pages] == ["MISS", "HIT"]
    html = gzip.decompress(pages[1].content).decode()
    assert "Mon espace" in html
    assert "Mon espace" not in gzip.decompress(visitor.content).decode()
    assert pages[1]["ETag"] != visitor["ETag"]
    # The visitor's ETag brings the member the member's page, not a 304.
    held = signed_in.get("/", headers={**BROWSER, "If-None-Match": visitor["ETag"]})
    assert held.status_code == 200


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("*", True),
        ("deflate, br", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000, *", False),
        ("*;q=0", False),
        ("identity", False),
        ("", False),
    ],
)
def test_who_accepts_gzip(header, accepted):
    request = RequestFactory().get("/", headers={"Accept-Encoding": header})

    assert accepts_gzip(request) is accepted


# --- Never compressed: what may not be stored -------------------------------------


@page_cache.cacheable
def view_with_csrf_token(request):
    return HttpResponse(
        f'<form><input name="csrfmiddlewaretoken" value="{get_token(request)}">'
        f"<p>{request.GET.get('q', '')}</p></form>" + "<p>Rechercher</p>" * 100
    )


@page_cache.cacheable
def public_view(request):
    return HttpResponse("<p>Une page publique.</p>" * 100)


urlpatterns = [
    path("essai/csrf/", view_with_csrf_token),
    path("essai/public/", public_view),
    path("", include("project.urls")),
]


@pytest.mark.urls(__name__)
def test_a_page_holding_a_csrf_token_is_never_stored_nor_compressed(client):
    """BREACH: a secret and reflected input are never compressed together."""
    for _ in range(2):
        response = client.get("/essai/csrf/?q=csrfmiddlewaretoken", headers=BROWSER)
        assert x_cache(response) == "MISS"
        assert "Content-Encoding" not in response
        assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.urls(__name__)
def test_a_marked_public_view_is_compressed(client):
    first = client.get("/essai/public/", headers=BROWSER)
    second = client.get("/essai/public/")

    assert (x_cache(first), x_cache(second)) == ("MISS", "HIT")
    assert gzip.decompress(first.content) == second.content
