"""Two-factor authentication is compulsory for staff and editors in the admin.

Logins go through allauth's pages as a person would (password, then the code of
the authenticator app): `force_login` would skip what is being tested.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from tests.factories import UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "motdepasse-solide-2026"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
MESSAGE = "L'administration du site est réservée aux comptes protégés"


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    """Empty cache (rate limits, used codes); the requirement on, as in production.

    A tolerance of one time step keeps a code computed just before a 30-second
    boundary valid when the request lands just after it.
    """
    cache.clear()
    settings.RETEX_ADMIN_REQUIRES_MFA = True
    settings.MFA_TOTP_TOLERANCE = 1
    yield
    cache.clear()


def person(email="redaction@ville-exemple.fr", **fields):
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def staff():
    return person(is_staff=True, is_superuser=True)


@pytest.fixture
def editor():
    """Not staff: Wagtail's "access admin" permission through a group."""
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user = person("editeur@ville-exemple.fr")
    user.groups.add(group)
    return user


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_authenticator_app(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def log_in(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"login": user.email, "password": password})


def admin_status(client) -> tuple[int, str]:
    response = client.get("/admin/")
    return response.status_code, response.get("Location", "")


# --- The requirement ---------------------------------------------------------------


def test_staff_without_mfa_are_sent_from_the_admin_to_its_set_up(client, staff):
    log_in(client, staff)

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL
    # allauth first asks for the password again before adding an authenticator;
    # the message explains why on whichever page comes first.
    page = client.get(ACTIVATE_URL, follow=True)
    text = visible_text(page.content.decode())
    assert MESSAGE in text
    assert "authentification à deux facteurs" in text


def test_editors_with_admin_access_need_mfa_too(client, editor):
    log_in(client, editor)
    assert admin_status(client) == (302, ACTIVATE_URL)


def test_members_without_admin_access_are_told_so_without_a_redirect_loop(client):
    member = person("membre@ville-exemple.fr")
    log_in(client, member)

    response = client.get("/admin/", follow=True)

    assert [url for url, _status in response.redirect_chain] == [
        "/accounts/login/?next=/admin/"
    ]
    assert response.status_code == 200
    assert "autorisation d\u2019accéder à l\u2019administration" in visible_text(
        response.content.decode()
    )
    assert client.get("/mon-espace/").status_code == 200


def test_visitors_are_sent_to_the_login_not_to_mfa(client):
    status, location = admin_status(client)
    assert status == 302
    assert urlsplit(location).path == "/accounts/login/"


def test_set_up_and_logout_stay_reachable_without_mfa(client, staff):
    log_in(client, staff)

    assert client.get("/accounts/2fa/").status_code == 200
    # allauth's own step before adding an authenticator: the password again.
    assert client.get(ACTIVATE_URL)["Location"].startswith("/accounts/reauthenticate/")
    logout = client.post("/admin/logout/")
    assert logout.status_code == 302
    assert logout["Location"] != ACTIVATE_URL
    assert "_auth_user_id" not in client.session


def test_allauth_logout_stays_reachable_without_mfa(client, staff):
    log_in(client, staff)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_recovery_codes_alone_are_not_a_second_factor(client, staff):
    RecoveryCodes.activate(staff)
    log_in(client, staff)
    assert admin_status(client) == (302, ACTIVATE_URL)


# --- Setting it up and logging in with it ------------------------------------------


def test_setting_up_the_authenticator_app_opens_the_admin(client, staff):
    log_in(client, staff)
    assert admin_status(client) == (302, ACTIVATE_URL)

    # allauth asks for the password again before adding an authenticator.
    reauthenticate = client.get(ACTIVATE_URL)["Location"]
    response = client.post(reauthenticate, {"password": PASSWORD})
    assert response["Location"] == ACTIVATE_URL
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    assert "Activer l'application d'authentification" in visible_text(
        page.content.decode()
    )
    secret = client.session["mfa.totp.secret"]
    response = client.post(ACTIVATE_URL, {"code": current_code(secret)})
    assert response.status_code == 302

    assert Authenticator.objects.filter(
        user=staff, type=Authenticator.Type.TOTP
    ).exists()
    assert admin_status(client) == (200, "")


def test_a_wrong_code_does_not_set_up_the_app(client, staff):
    log_in(client, staff)
    reauthenticate = client.get(ACTIVATE_URL)["Location"]
    client.post(reauthenticate, {"password": PASSWORD})
    client.get(ACTIVATE_URL)

    response = client.post(ACTIVATE_URL, {"code": "000000"})

    assert response.status_code == 200
    assert "Code incorrect" in visible_text(response.content.decode())
    assert not Authenticator.objects.filter(user=staff).exists()
    assert admin_status(client) == (302, ACTIVATE_URL)


def test_login_with_mfa_asks_for_the_code_after_the_password(client, staff):
    secret = with_authenticator_app(staff)

    response = log_in(client, staff)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Code de connexion" in visible_text(page.content.decode())

    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(secret)}
    )
    assert response.status_code == 302
    assert admin_status(client) == (200, "")


def test_login_with_a_wrong_code_fails(client, staff):
    secret = with_authenticator_app(staff)
    log_in(client, staff)
    wrong = str((int(current_code(secret)) + 1) % 1_000_000).zfill(6)

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert "Code incorrect" in visible_text(response.content.decode())
    assert "_auth_user_id" not in client.session
    assert urlsplit(admin_status(client)[1]).path == "/accounts/login/"


def test_the_admin_login_goes_through_the_two_steps_and_back_to_the_admin(
    client, staff
):
    secret = with_authenticator_app(staff)
    login_url = client.get("/admin/pages/")["Location"]
    assert login_url == "/accounts/login/?next=/admin/pages/"

    response = client.post(
        login_url, {"login": staff.email, "password": PASSWORD, "next": "/admin/pages/"}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post(response["Location"], {"code": current_code(secret)})

    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


# --- Switching it off, and the demo admin ------------------------------------------


def test_the_requirement_can_be_switched_off(client, staff, settings):
    settings.RETEX_ADMIN_REQUIRES_MFA = False
    log_in(client, staff)
    assert admin_status(client) == (200, "")


def test_the_local_demo_admin_gets_in_without_an_app(client, settings):
    settings.DEBUG = True
    settings.RETEX_ADMIN_MFA_EXEMPT_EMAILS = ["admin@retex.localhost"]
    demo_admin = person("admin@retex.localhost", is_staff=True, is_superuser=True)
    log_in(client, demo_admin)
    assert admin_status(client) == (200, "")


def test_other_local_accounts_still_need_mfa(client, staff, settings):
    settings.DEBUG = True
    settings.RETEX_ADMIN_MFA_EXEMPT_EMAILS = ["admin@retex.localhost"]
    log_in(client, staff)
    assert admin_status(client) == (302, ACTIVATE_URL)


def test_the_demo_exemption_never_applies_in_production(client, settings):
    """Even were the list set by mistake: with DEBUG=0 the demo admin needs MFA."""
    settings.DEBUG = False
    settings.RETEX_ADMIN_MFA_EXEMPT_EMAILS = ["admin@retex.localhost"]
    demo_admin = person("admin@retex.localhost", is_staff=True, is_superuser=True)
    log_in(client, demo_admin)
    assert admin_status(client) == (302, ACTIVATE_URL)


def test_production_settings_carry_no_exemption(tmp_path):
    """`retex.settings` as a production server reads it (DEBUG=0, no override)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ADMIN_REQUIRES_MFA", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "k7Vt9pQ2xLr4mN8sW1yZ6bC3dF5gH0jK-aE9uI2oP7qR4tY8w",
            "ALLOWED_HOSTS": "retex.example.org",
            "VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        }
    )
    code = (
        "from retex import settings as s; "
        "print(s.RETEX_ADMIN_REQUIRES_MFA, s.RETEX_ADMIN_MFA_EXEMPT_EMAILS)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["True", "[]"]
