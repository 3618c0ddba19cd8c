"""The shared cache may fail; the site must not.

A private `redis-server` is started for each test (on a free port) and killed,
hung (SIGSTOP) or brought back on purpose; every cache alias points at it
through `retex.cache_backend.ResilientRedisCache`, as `REDIS_URL` configures
them. The breaker's clock is moved by hand, so that nothing depends on how
fast the machine is.
"""

import logging
import os
import signal
import socket
import subprocess
import time

import pytest
import redis
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import caches

from events.models import Registration
from retex import cache_backend, page_cache
from tests.factories import ArticlePageFactory, EventPageFactory, UserFactory

pytestmark = pytest.mark.django_db

REDIS_SERVER = "/usr/bin/redis-server"
PASSWORD = "motdepasse-solide-2026"
RETRY_AFTER = 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisProcess:
    """A redis-server of the test's own, on a port chosen now."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                pass
            assert self.process.poll() is None, "redis-server did not start"
            assert time.monotonic() < deadline, "redis-server did not answer"
            time.sleep(0.05)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def hang(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisProcess(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.close()


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(cache_backend, "_now", clock)
    return clock


@pytest.fixture
def shared_cache(settings, redis_server, clock, monkeypatch):
    """Both aliases on the private Redis, as with REDIS_URL; the page cache on;
    sessions read from the cache."""
    options = {
        "socket_connect_timeout": 0.2,
        "socket_timeout": 0.2,
        "RETRY_AFTER": RETRY_AFTER,
    }
    settings.CACHES = {
        alias: {
            "BACKEND": "retex.cache_backend.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": prefix,
            "TIMEOUT": 300,
            "OPTIONS": options,
        }
        for alias, prefix in (("default", "test"), ("pages", "test-pages"))
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    return cache_backend.server_state(redis_server.url)


def member():
    user = UserFactory()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    user.groups.add(Group.objects.get(name="Membres"))
    return user


def log_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def cache_logs(caplog, level):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "retex.cache_backend" and record.levelno == level
    ]


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, response.json()["checks"]["cache"]


def test_with_redis_killed_the_site_answers_uncached_then_caches_again(
    client,
    django_user_model,
    section,
    committed,
    redis_server,
    shared_cache,
    clock,
    caplog,
):
    caplog.set_level(logging.INFO, logger="retex.cache_backend")
    article = committed(
        lambda: ArticlePageFactory(
            parent=section("ressources"), title="Un tiers-lieu rural"
        )
    )
    committed(lambda: article.save_revision().publish())
    event = committed(lambda: EventPageFactory(parent=section("evenements")))
    person = member()
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"
    assert healthz(client) == (200, "ok")

    redis_server.kill()

    assert client.get("/").status_code == 200
    page = client.get(article.url)
    assert page.status_code == 200
    assert "Un tiers-lieu rural" in page.content.decode()
    found = client.get("/recherche/", {"q": "tiers-lieu"})
    assert found.status_code == 200
    assert "Un tiers-lieu rural" in found.content.decode()
    assert client.get("/api/search/", {"q": "tiers-lieu"}).json()["results"]
    # Signing up and signing in (allauth's rate limits fail open).
    signed_up = client.post(
        "/accounts/signup/",
        {
            "email": "nouvelle.personne@ville-exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Camille",
            "last_name": "Durand",
            "status": "agent",
            "function_title": "DSI",
        },
    )
    assert signed_up.status_code == 302
    assert django_user_model.objects.filter(
        email="nouvelle.personne@ville-exemple.fr"
    ).exists()
    assert log_in(client, person).status_code == 302
    assert client.get("/mon-espace/").status_code == 200
    # Registering for an event (the site's own rate limit fails open too).
    registered = client.post(f"{event.url}inscription/")
    assert registered.status_code < 500
    assert Registration.objects.filter(event=event, user=person).exists()
    assert client.get(event.url).status_code == 200
    # Operators are told, once for the whole outage.
    assert healthz(client) == (503, "error")
    [warning] = cache_logs(caplog, logging.WARNING)
    assert "rate limits not enforced" in warning

    # Redis comes back (empty) on the same port: nothing is restarted here.
    redis_server.start()
    clock.advance(RETRY_AFTER + 1)
    anonymous = client.__class__()
    assert anonymous.get("/")["X-Cache"] == "MISS"
    assert anonymous.get("/")["X-Cache"] == "HIT"
    assert client.get("/mon-espace/").status_code == 200
    assert healthz(client) == (200, "ok")
    assert len(cache_logs(caplog, logging.WARNING)) == 1
    [recovered] = cache_logs(caplog, logging.INFO)
    assert "available again" in recovered


def test_with_redis_hung_requests_do_not_wait_and_nothing_stale_comes_back(
    client, section, committed, redis_server, shared_cache, clock, caplog
):
    caplog.set_level(logging.INFO, logger="retex.cache_backend")
    article = committed(
        lambda: ArticlePageFactory(parent=section("ressources"), title="Ancien titre")
    )
    committed(lambda: article.save_revision().publish())
    visitor = client.__class__()
    assert visitor.get(article.url)["X-Cache"] == "MISS"
    assert visitor.get(article.url)["X-Cache"] == "HIT"
    person = member()
    assert log_in(client, person).status_code == 302
    assert client.get("/mon-espace/").status_code == 200
    session_cookie = client.cookies["sessionid"].value

    redis_server.hang()
    attempts_before = shared_cache.attempts
    # The first call waits for Redis (a write sent then would still be applied
    # when it resumes); the breaker opens, the next writes are lost.
    assert visitor.get("/").status_code == 200

    # While Redis hangs, an editor publishes a new title, the person logs out.
    article.title = "Nouveau titre"
    committed(lambda: article.save_revision().publish())
    assert client.post("/accounts/logout/").status_code == 302
    for _ in range(3):
        page = visitor.get(article.url)
        assert page.status_code == 200
        assert "Nouveau titre" in page.content.decode()
    assert visitor.get("/").status_code == 200
    assert visitor.get("/recherche/", {"q": "titre"}).status_code == 200
    # One call waited for Redis and opened the breaker; the others did not try.
    assert shared_cache.attempts - attempts_before == 1
    assert shared_cache.skipped > 0
    # /healthz asks Redis itself, with the short timeout.
    assert healthz(client) == (503, "error")

    redis_server.resume()
    clock.advance(RETRY_AFTER + 1)

    page = visitor.get(article.url)
    assert "Nouveau titre" in page.content.decode()
    assert "Ancien titre" not in page.content.decode()
    assert page["X-Cache"] == "MISS"
    again = visitor.get(article.url)
    assert again["X-Cache"] == "HIT"
    assert "Nouveau titre" in again.content.decode()
    # The session deleted at logout does not come back from Redis.
    former = client.__class__()
    former.cookies["sessionid"] = session_cookie
    assert former.get("/mon-espace/").status_code == 302
    assert healthz(client) == (200, "ok")
    assert len(cache_logs(caplog, logging.WARNING)) == 1
    assert len(cache_logs(caplog, logging.INFO)) == 1


def test_a_process_that_saw_the_outage_invalidates_what_others_stored(
    redis_server, shared_cache, clock
):
    """A process that saw Redis fail starts a new epoch when it answers again:
    what any process stored before is never read again."""
    cache = caches["default"]
    # Another process (its own state) that will not see the outage.
    other = cache_backend.ResilientRedisCache(
        redis_server.url, {"KEY_PREFIX": "test", "OPTIONS": {"socket_timeout": 0.2}}
    )
    other._state = cache_backend.ServerState(redis_server.url)
    cache.set("session", "signed in")
    assert other.get("session") == "signed in"

    redis_server.hang()
    assert cache.get("anything") is None  # Waits, then opens the breaker.
    cache.delete("session")  # Lost.
    assert cache.get("session") is None
    assert cache.add("lock", True) is True  # Fails open.
    assert cache.incr("counter") == 1  # Fails open.
    redis_server.resume()
    clock.advance(RETRY_AFTER + 1)

    assert cache.get("session") is None
    assert other.get("session") is None
    cache.set("session", "signed in again")
    assert other.get("session") == "signed in again"


def test_rate_limits_are_counted_in_redis_and_fail_open_without_it(
    client, settings, redis_server, shared_cache, caplog
):
    settings.RETEX_RATE_LIMITS = {**settings.RETEX_RATE_LIMITS, "search_api": "2/m"}
    for _ in range(2):
        assert client.get("/api/search/").status_code == 200
    assert client.get("/api/search/").status_code == 429
    redis_server.kill()
    for _ in range(3):
        assert client.get("/api/search/").status_code == 200
    [warning] = cache_logs(caplog, logging.WARNING)
    assert "rate limits not enforced" in warning
