"""Production configuration is refused unless it is safe; local needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Vt9pQ2xLr4mN8sW1yZ6bC3dF5gH0jK-aE9uI2oP7qR4tY8wX1zA6sD3fG5hJ0",
    "ALLOWED_HOSTS": "retex.example.org",
}


def manage(
    *args: str, env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    clean_env.update(
        {
            "VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        }
    )
    clean_env.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG=0" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    env = {**PRODUCTION}
    del env["ALLOWED_HOSTS"]
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG=0" in result.stderr


def test_a_malformed_boolean_is_an_error_not_a_silent_default(tmp_path):
    result = manage(
        "check", env={**PRODUCTION, "DEBUG": "peut-être"}, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_local_mode_generates_a_secret_key_once_and_keeps_it(tmp_path):
    first = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        tmp_path=tmp_path,
    )
    second = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50
    assert second.stdout.strip().splitlines()[-1] == key
    assert (tmp_path / "var" / "secret_key").read_text().strip() == key


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("SECURE_SSL_REDIRECT", "True"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
    ],
)
def test_production_turns_on_https_only_settings(tmp_path, setting, expected):
    result = manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(settings.{setting})",
        env=PRODUCTION,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_site_speaks_french_in_paris_time(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


def test_rate_limits_are_overridden_by_name_and_an_unknown_name_is_refused(tmp_path):
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.RETEX_RATE_LIMITS)",
        env={"RATE_LIMITS": "search_api=5/m"},
        tmp_path=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert "'search_api': '5/m'" in shown.stdout
    assert "'event_registration': '30/10m'" in shown.stdout
    refused = manage("check", env={"RATE_LIMITS": "serch_api=5/m"}, tmp_path=tmp_path)
    assert refused.returncode != 0
    assert "RATE_LIMITS: 'serch_api=5/m'" in refused.stderr
