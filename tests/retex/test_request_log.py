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
