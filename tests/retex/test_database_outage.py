"""While the database cannot be reached, the site says so (503, in French, with
Retry-After) instead of a server error, and still serves what needs no database."""

import socket

import pytest
from django.db import connection
from django.test import Client

from retex.views import server_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_gone():
    """The default connection pointed at a port where no server listens: every
    query really fails to connect, as during a PostgreSQL restart."""
    # SQLite's in-memory test database never closes: the tests using this are
    # marked `postgres`.
    assert connection.vendor == "postgresql"
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Service momentanément indisponible" in html
    assert "réessayer" in html


@pytest.mark.postgres
def test_pages_answer_503_while_postgresql_is_away(home_page, database_gone):
    client = Client(raise_request_exception=False)

    for url in ("/", "/ressources/", "/recherche/?q=numerique", "/accounts/login/"):
        assert_unavailable_page(client.get(url))
    assert client.get("/healthz").status_code == 503


@pytest.mark.postgres
def test_pages_come_back_with_the_database(home_page):
    client = Client(raise_request_exception=False)
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(PORT=str(free_port()))
    try:
        assert client.get("/").status_code == 503
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    assert client.get("/").status_code == 200


def test_other_errors_stay_server_errors(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Retry-After" not in response
