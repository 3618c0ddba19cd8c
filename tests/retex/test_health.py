"""`/healthz` tells a load balancer whether this process can serve."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthy_site_answers_ok_in_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
    }
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_database_outage_is_reported_as_an_error_status(tmp_path):
    """A real outage: the process is pointed at a PostgreSQL port nobody listens on."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "retex.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/absent",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "1",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"] == {
        "status": "error",
        "checks": {"database": "error", "cache": "ok"},
    }
    assert "nobody" not in result.stdout  # no connection details leak


@pytest.mark.django_db
def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_cache_outage_is_reported_quickly_even_behind_the_breaker(client, settings):
    """Redis configured but nobody listening: 503 naming the cache, on every
    call, although the circuit breaker already leaves Redis alone."""
    import socket

    from retex import cache_backend

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "retex.cache_backend.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    state = cache_backend.server_state(location)
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"] == {"database": "ok", "cache": "error"}
    assert state.attempts == 2  # Each check asked Redis itself.
    assert state.down
