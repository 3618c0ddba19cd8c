"""Rate limits on event registration and the search API, behind reverse proxies.

Each test starts with an empty cache (tests/conftest.py) and sets small limits,
so nothing depends on time passing.
"""

import json
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from events.models import Registration
from retex.ratelimit import Rate, client_ip, parse_rate
from tests.factories import EventPageFactory, UserFactory
from tests.factories import verified_person as person

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    def set_limits(**rates):
        settings.RETEX_RATE_LIMITS = {**settings.RETEX_RATE_LIMITS, **rates}

    return set_limits


# --- The rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("30/10m", Rate(30, 600)),
        ("60/m", Rate(60, 60)),
        ("5/h", Rate(5, 3600)),
        (" 2 / 30s ", Rate(2, 30)),
    ],
)
def test_rates_are_written_like_allauths(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "30", "30/", "x/m", "30/10w", "30/0m"])
def test_a_malformed_rate_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_production_limits_cover_registration_and_the_search_api(settings):
    for action in ("event_registration", "search_api", "search_suggest"):
        assert parse_rate(settings.RETEX_RATE_LIMITS[action]).amount > 0
    assert settings.ACCOUNT_ADAPTER == "retex.ratelimit.AccountAdapter"


# --- Search API -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "action"),
    [("/api/search/", "search_api"), ("/api/search/suggest/", "search_suggest")],
)
def test_the_search_api_answers_429_in_french_json(client, limits, url, action):
    limits(**{action: "3/m"})
    for _ in range(3):
        assert client.get(url, {"q": "numérique"}).status_code == 200

    response = client.get(url, {"q": "numérique"})

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["error"].startswith("Trop de requêtes en peu de temps")
    assert "réessayer dans" in data["error"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert data["retry_after"] == int(response["Retry-After"])
    assert response["Cache-Control"] == "private, no-store"


def test_the_search_page_itself_is_not_the_apis_budget(client, limits):
    limits(search_api="1/m")
    client.get("/api/search/", {"q": "x"})
    assert client.get("/api/search/", {"q": "x"}).status_code == 429
    assert client.get("/recherche/", {"q": "x"}).status_code == 200


def test_logged_in_people_have_their_own_budget(client, limits):
    """Agents of one town hall share an address, not a budget."""
    limits(search_api="2/m")
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    for _ in range(2):
        client.get("/api/search/", {"q": "x"})
    assert client.get("/api/search/", {"q": "x"}).status_code == 429
    client.force_login(second)
    assert client.get("/api/search/", {"q": "x"}).status_code == 200


# --- Event registration ------------------------------------------------------------


def test_registration_answers_429_with_a_french_page_and_registers_nothing(
    client, section, limits
):
    limits(event_registration="2/10m")
    events = [EventPageFactory(parent=section("evenements")) for _ in range(3)]
    user = person()
    client.force_login(user)
    client.post(events[0].url + "inscription/")
    client.post(events[1].url + "inscription/")
    assert Registration.objects.filter(user=user).count() == 2

    response = client.post(events[2].url + "inscription/")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de demandes en peu de temps" in html
    assert "réessayer dans" in html
    assert 1 <= int(response["Retry-After"]) <= 600
    assert Registration.objects.filter(user=user).count() == 2
    # Cancelling counts too (each sends emails), and is held back the same way.
    response = client.post(events[0].url + "desinscription/")
    assert response.status_code == 429
    assert Registration.objects.filter(user=user, status="confirmee").count() == 2


def test_reading_an_event_page_is_not_limited(client, section, limits):
    limits(event_registration="1/10m")
    event = EventPageFactory(parent=section("evenements"))
    client.force_login(person())
    client.post(event.url + "inscription/")
    assert client.post(event.url + "desinscription/").status_code == 429
    assert client.get(event.url).status_code == 200


# --- Behind reverse proxies ----------------------------------------------------------


def spoofed():
    return f"203.0.113.{uuid.uuid4().int % 250 + 1}"


def test_without_proxy_x_forwarded_for_is_ignored(client, limits, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    limits(search_api="2/m")
    for _ in range(2):
        client.get("/api/search/", headers={"X-Forwarded-For": spoofed()})
    # A new made-up address each time neither resets nor dodges the limit.
    for _ in range(3):
        response = client.get("/api/search/", headers={"X-Forwarded-For": spoofed()})
        assert response.status_code == 429
    other_client = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.get("/api/search/", **other_client).status_code == 200


def test_behind_one_proxy_the_address_it_appended_counts(client, limits, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    limits(search_api="2/m")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request comes from the proxy
    real = "192.0.2.10"
    for _ in range(2):
        client.get("/api/search/", headers={"X-Forwarded-For": real}, **proxy)
    for _ in range(3):
        # The client sends its own X-Forwarded-For; the proxy appends the truth.
        forwarded = f"{spoofed()}, {spoofed()}, {real}"
        response = client.get(
            "/api/search/", headers={"X-Forwarded-For": forwarded}, **proxy
        )
        assert response.status_code == 429
    # Another client behind the same proxy is not held back.
    response = client.get(
        "/api/search/", headers={"X-Forwarded-For": f"{real}, 192.0.2.99"}, **proxy
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.1", "192.0.2.1", "192.0.2.1"),
        (1, "203.0.113.1, 192.0.2.50", "10.0.0.2", "192.0.2.50"),
        (2, "203.0.113.1, 192.0.2.50, 10.0.0.3", "10.0.0.2", "192.0.2.50"),
        # Fewer entries than proxies, garbage, nothing: the connection's address.
        (2, "192.0.2.50", "10.0.0.2", "10.0.0.2"),
        (1, "pas-une-adresse", "10.0.0.2", "10.0.0.2"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        (1, "[2001:db8::1]:443", "10.0.0.2", "2001:db8::1"),
        (0, "", "", "unknown"),
    ],
)
def test_client_ip(settings, count, forwarded, remote, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote
    )
    assert client_ip(request) == expected


def test_ipv6_clients_are_counted_per_network(client, limits):
    limits(search_api="2/m")
    for host in ("2001:db8:1:2::10", "2001:db8:1:2::11"):
        client.get("/api/search/", REMOTE_ADDR=host)
    response = client.get("/api/search/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert response.status_code == 429
    assert client.get("/api/search/", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_allauths_login_limit_reads_the_same_address(client, settings):
    """allauth counts logins per address through our adapter: a spoofed
    X-Forwarded-For does not dodge its limit either, and a short header is no
    server error (allauth's own reading raises ImproperlyConfigured)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    data = {"login": "personne@ville-exemple.fr", "password": "mauvais-mot-de-passe"}
    real = "192.0.2.10"
    for _ in range(2):
        client.post(
            "/accounts/login/",
            data,
            headers={"X-Forwarded-For": real},
            REMOTE_ADDR="10.0.0.2",
        )
    response = client.post(
        "/accounts/login/",
        data,
        headers={"X-Forwarded-For": f"{spoofed()}, {real}"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 3
    response = client.post(
        "/accounts/login/",
        data,
        headers={"X-Forwarded-For": real},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 200


# --- A cache shared by every web process ---------------------------------------------


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_limits_are_counted_in_redis_when_configured(client, limits):
    """What production does with REDIS_URL: every process sees the same count."""
    import redis

    prefix = f"retex-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    limits(search_api="2/m")
    # Restored before the test ends, so that the suite's cache.clear() never
    # empties a Redis database others may use.
    try:
        with override_settings(CACHES=redis_cache):
            for _ in range(2):
                assert client.get("/api/search/").status_code == 200
            assert client.get("/api/search/").status_code == 429
    finally:
        # Only our keys: cache.clear() would empty the whole Redis database.
        server = redis.Redis(host="127.0.0.1", port=6379)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
