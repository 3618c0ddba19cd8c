"""Operators get a request id on every log line and one access line per request,
with nothing personal or secret in it."""

import io
import logging
import re

import pytest
from django.conf import settings

from events.models import CalendarToken
from retex.request_log import RequestIdFilter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    """What the configured console handler (settings.LOGGING) writes."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def access_lines(stream) -> list[str]:
    return [
        line
        for line in stream.getvalue().splitlines()
        if re.match(r"^\S+ \S+ INFO retex\.access \[", line)
    ]


def test_the_request_log_middleware_comes_first():
    assert settings.MIDDLEWARE[0] == "retex.request_log.RequestLogMiddleware"


def test_each_request_gets_an_id_returned_and_logged(client, log):
    response = client.get("/ressources/?theme=cybersecurite&page=2")

    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = access_lines(log)
    assert f"[{request_id}]" in line
    assert re.search(r"GET /ressources/ 200 \d+\.\dms$", line)
    # Not the query string: filters and searches say what people look for.
    assert "cybersecurite" not in line
    assert "page=2" not in line
    assert client.get("/").get("X-Request-ID") != request_id


def test_a_sane_incoming_id_is_kept_a_strange_one_replaced(client, log):
    kept = client.get("/", headers={"X-Request-ID": "4b1c3f0e-proxy-0001"})
    assert kept["X-Request-ID"] == "4b1c3f0e-proxy-0001"
    for strange in ("x", "a b c d e f g h", "<script>alert(1)</script>", "é" * 20):
        replaced = client.get("/", headers={"X-Request-ID": strange})
        assert replaced["X-Request-ID"] != strange
        assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])
    assert "<script>" not in log.getvalue()


def test_lines_logged_during_a_request_carry_its_id(client, log, caplog):
    response = client.get("/cette-page-n-existe-pas/")
    request_id = response["X-Request-ID"]
    # Django's own "Not Found" warning, logged inside the request.
    not_found = [line for line in log.getvalue().splitlines() if "Not Found" in line]
    assert not_found
    assert all(f"[{request_id}]" in line for line in not_found)
    logging.getLogger("retex.test").warning("hors requête")
    assert "[-] hors requête" in log.getvalue()


def test_no_email_password_or_search_words_in_the_log(client, log):
    UserFactory(email="camille.secrete@ville-exemple.fr")
    client.post(
        "/accounts/login/",
        {
            "login": "camille.secrete@ville-exemple.fr",
            "password": "MotDePasseSecret-42",
        },
    )
    client.get("/recherche/", {"q": "harcèlement élu confidentiel"})
    client.get("/api/search/", {"q": "harcèlement élu confidentiel"})

    text = log.getvalue()
    assert len(access_lines(log)) == 3
    assert "POST /accounts/login/ 200" in text
    for secret in (
        "camille.secrete",
        "ville-exemple.fr",
        "MotDePasseSecret",
        "harc",
        "confidentiel",
    ):
        assert secret not in text


def test_secret_tokens_in_urls_are_masked(client, log):
    token = CalendarToken.objects.create(user=UserFactory(), token="s" * 40)
    client.get(f"/mon-espace/agenda/{token.token}.ics")
    client.get("/accounts/password/reset/key/1z-cle-tres-secrete-123/")

    lines = "\n".join(access_lines(log))
    assert "GET /mon-espace/agenda/%5Btoken%5D.ics 200" in lines
    assert "s" * 40 not in lines
    assert "cle-tres-secrete" not in lines


def test_a_path_cannot_forge_a_log_line(client, log):
    client.get("/ressources/%0A2026-01-01 INFO retex.access [x] GET /faux 200/")
    [line] = access_lines(log)
    assert "/ressources/%0A2026-01-01%20INFO" in line
    assert not any(
        other.startswith("2026-01-01") for other in log.getvalue().splitlines()
    )


# --- Django's own lines ("Not Found: …", errors, CSRF failures) -------------------


def django_lines(caplog, stream) -> str:
    """Django's request lines, as the records say them (caplog) and as the
    console handler writes them."""
    records = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(("django.request", "django.security"))
    ]
    assert records
    return "\n".join(records) + "\n" + stream.getvalue()


def test_not_found_lines_mask_feed_tokens(client, log, caplog):
    unknown = "u" * 43
    client.get(f"/mon-espace/agenda/{unknown}.ics")
    client.get("/mon-espace/agenda/sec%00ret.ics")  # A NUL: Django escapes it.

    text = django_lines(caplog, log)
    # Both requests, in the records and in the console's lines.
    assert text.count("Not Found: /mon-espace/agenda/[token].ics") == 4
    assert unknown not in text
    assert "ret.ics" not in text


def test_server_errors_mask_the_token(client, log, caplog, monkeypatch):
    token = CalendarToken.objects.create(user=UserFactory(), token="e" * 40).token

    def broken(*args, **kwargs):
        raise RuntimeError("the feed broke")

    monkeypatch.setattr("events.feeds.feed_rows", broken)
    client.raise_request_exception = False
    response = client.get(f"/mon-espace/agenda/{token}.ics")

    assert response.status_code == 500
    text = django_lines(caplog, log)
    assert "Internal Server Error: /mon-espace/agenda/[token].ics" in text
    assert "the feed broke" in text  # The traceback is still there.
    assert token not in text


def test_csrf_failures_mask_the_reset_key(log, caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/password/reset/key/1z-cle-tres-secrete-123/",
        {"password1": "x", "password2": "x"},
    )

    assert response.status_code == 403
    text = django_lines(caplog, log)
    assert "/accounts/password/reset/key/[uidb36]-[key]/" in text
    assert "cle-tres-secrete" not in text


def test_development_server_lines_mask_the_token(log, caplog):
    logger = logging.getLogger("django.server")
    with caplog.at_level(logging.INFO, logger="django.server"):
        logger.info(
            '"%s" %s %s', f"GET /mon-espace/agenda/{'d' * 40}.ics HTTP/1.1", 404, 179
        )
    (record,) = [r for r in caplog.records if r.name == "django.server"]
    assert (
        record.getMessage() == '"GET /mon-espace/agenda/[token].ics HTTP/1.1" 404 179'
    )
    assert "d" * 40 not in log.getvalue()
