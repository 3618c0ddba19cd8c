"""allauth is the only door: no URL opens a session without its rate limits,
email verification and second factor.

Every URL of the URL map that looks like a way in (a login view, or a name or
route about login, authentication, sign-in or passwords) receives valid
credentials, as its form would send them, for three people: a verified member,
somebody whose address is not verified yet, and a staff member with an
authenticator app. Only allauth's login may open a session, and only for the
first of them; the staff member needs the app's code too. The admin asks sessions
that did not pass the second factor for the code again.
"""

import re
import threading
import time
from urllib.parse import urlsplit

import pytest
from allauth.account.internal.flows import manage_email
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.test.client import ClientMixin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import PageViewRestriction

from members.models import User
from tests.factories import UserFactory
from tests.helpers import run_at_once
from tests.html import visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
SESSION_USER = "_auth_user_id"
DOOR = re.compile(r"log_?in|authenticat|sign_?in|sign_?up|connexion|password", re.I)


@pytest.fixture(autouse=True)
def _one_time_step_of_tolerance(settings):
    """A code computed just before a 30-second boundary stays valid after it."""
    settings.MFA_TOTP_TOLERANCE = 1
    settings.RETEX_ADMIN_REQUIRES_MFA = True


def person(email, *, verified=True, **fields):
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def staff_with_app() -> tuple[User, str]:
    staff = person("redaction@ville-exemple.fr", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return staff, secret


def session_opened(client) -> bool:
    return SESSION_USER in client.session


# --- The URL map's doors -----------------------------------------------------------


def _patterns(patterns, route="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _patterns(entry.url_patterns, route + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            yield route + str(entry.pattern), entry, namespaces


def _is_door(route: str, entry: URLPattern) -> bool:
    view_class = getattr(entry.callback, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, auth_views.LoginView):
        return True
    return bool(DOOR.search(route) or DOOR.search(entry.name or ""))


def _url(route: str, entry: URLPattern, namespaces, ids: dict[str, int]) -> str:
    names = list(entry.pattern.regex.groupindex)
    if not names:
        return "/" + route.replace("^", "").replace("$", "")
    kwargs = {name: str(ids.get(name, 1)) for name in names}
    return reverse(":".join([*namespaces, entry.name]), kwargs=kwargs)


def doors(ids: dict[str, int]) -> dict[str, str]:
    """Every way in of the URL map: concrete URL → the view's qualified name."""
    found = {}
    for route, entry, namespaces in _patterns(get_resolver().url_patterns):
        if _is_door(route, entry):
            url = _url(route, entry, namespaces, ids)
            # The first pattern of a URL is the one that answers it.
            found.setdefault(url, entry.lookup_str)
    return found


def credentials(user) -> dict[str, str]:
    """What the login-looking forms ask for, all filled in (a bare Django
    LoginView's `username`, allauth's `login`, a page's `password`…)."""
    return {
        "username": user.email,
        "login": user.email,
        "email": user.email,
        "password": PASSWORD,
        "password1": PASSWORD,
        "password2": PASSWORD,
        # Who signs up (sign-up asks it).
        "first_name": "Camille",
        "last_name": "Durand",
        "status": "agent",
        "function_title": "DSI",
        "oldpassword": PASSWORD,
        "return_url": "/",
        "next": "/",
    }


@pytest.fixture
def password_page(home_page):
    """A page behind a password, the same as the people's: valid for its form."""
    return PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )


@pytest.fixture
def map_doors(password_page) -> dict[str, str]:
    found = doors(
        {
            "page_view_restriction_id": password_page.pk,
            "page_id": password_page.page_id,
        }
    )
    # The walk is not empty-handed: the known ways in are among what it found.
    expected = {
        "/accounts/login/",
        "/admin/login/",
        "/_util/login/",
        "/accounts/2fa/authenticate/",
        "/accounts/reauthenticate/",
        reverse(
            "wagtailcore_authenticate_with_password",
            args=[password_page.pk, password_page.page_id],
        ),
    }
    assert expected <= set(found), sorted(found)
    return found


ALLAUTH_LOGIN = "/accounts/login/"


@pytest.mark.parametrize("who", ["verified", "unverified", "staff_with_app"])
def test_no_url_but_allauths_login_opens_a_session(who, map_doors):
    if who == "staff_with_app":
        user, _secret = staff_with_app()
    else:
        user = person("camille@ville-exemple.fr", verified=who == "verified")

    opened = []
    for url in sorted(map_doors):
        client = Client()
        client.get(url)
        client.post(url, credentials(user))
        if session_opened(client):
            opened.append(url)

    # The one door, for the one person who may go through with a password alone.
    assert opened == ([ALLAUTH_LOGIN] if who == "verified" else [])


def test_the_staff_member_goes_in_with_the_code_after_the_password(map_doors):
    staff, secret = staff_with_app()
    client = Client()

    response = client.post(ALLAUTH_LOGIN, credentials(staff))
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not session_opened(client)

    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert session_opened(client)
    assert client.get("/admin/").status_code == 200


def test_wagtails_front_end_login_sends_to_allauths_keeping_next(client):
    response = client.get("/_util/login/?next=/ressources/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/ressources/"


def test_wrong_passwords_on_wagtails_login_are_not_tried_then_the_right_one_fails():
    """It was a bare LoginView: 50 wrong passwords, then the right one opened."""
    member = person("camille@ville-exemple.fr")
    client = Client()
    for _attempt in range(50):
        client.post(
            "/_util/login/", {"username": member.email, "password": "pas-le-bon"}
        )
    response = client.post(
        "/_util/login/", {"username": member.email, "password": PASSWORD}
    )

    assert urlsplit(response["Location"]).path == "/accounts/login/"
    assert not session_opened(client)


def test_a_page_password_opens_the_page_not_a_session(client, password_page):
    """Wagtail's page password form grants the page to the browser's session; it
    never signs a person in, whatever the password."""
    member = person("camille@ville-exemple.fr")
    url = reverse(
        "wagtailcore_authenticate_with_password",
        args=[password_page.pk, password_page.page_id],
    )

    response = client.post(
        url, {"password": PASSWORD, "return_url": "/", "username": member.email}
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not session_opened(client)


def test_editors_are_not_offered_a_password_for_pages_or_collections(client, home_page):
    """The password form has no rate limit and keeps passwords in clear: the
    privacy dialogs offer every other option, not that one."""
    staff, _secret = staff_with_app()
    client.force_login(staff)

    page_privacy = client.get(f"/admin/pages/{home_page.pk}/privacy/")
    collection_privacy = client.get("/admin/collections/1/privacy/")

    for response in (page_privacy, collection_privacy):
        assert response.status_code == 200
        html = response.json()["html"]
        assert 'value="login"' in html
        assert 'value="password"' not in html


def test_wagtail_sends_restricted_pages_visitors_to_allauths_login(settings):
    assert reverse(settings.WAGTAILADMIN_LOGIN_URL) == ALLAUTH_LOGIN
    assert settings.WAGTAIL_FRONTEND_LOGIN_URL == ALLAUTH_LOGIN


# --- The admin asks for the second factor of this session -------------------------


def session_without_records(client, user) -> None:
    """A session such as any other door opened, or one opened before the admin
    checked sessions: the person is in, allauth recorded nothing."""
    ClientMixin._login(client, user, "django.contrib.auth.backends.ModelBackend")


CONFIRM_URL = "/accounts/2fa/reauthenticate/"
CONFIRM_MESSAGE = "Pour accéder à l'administration du site, saisissez le code"


def test_a_session_that_did_not_pass_the_app_is_asked_for_its_code(client):
    staff, secret = staff_with_app()
    session_without_records(client, staff)

    response = client.get("/admin/users/")

    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM_URL}?next=%2Fadmin%2Fusers%2F"
    page = client.get(response["Location"])
    assert CONFIRM_MESSAGE in visible_text(page.content.decode())
    # Not the exports either.
    assert client.get("/admin/").status_code == 302

    response = client.post(response["Location"], {"code": current_code(secret)})

    assert response["Location"] == "/admin/users/"
    assert client.get("/admin/users/").status_code == 200


def test_a_wrong_code_keeps_the_admin_closed(client):
    staff, secret = staff_with_app()
    session_without_records(client, staff)
    wrong = str((int(current_code(secret)) + 1) % 1_000_000).zfill(6)

    response = client.post(f"{CONFIRM_URL}?next=/admin/", {"code": wrong})

    assert response.status_code == 200
    assert "Code incorrect" in visible_text(response.content.decode())
    assert client.get("/admin/")["Location"].startswith(CONFIRM_URL)


def test_a_session_from_before_the_app_must_pass_it_once_it_exists():
    """Signed in with the password on one device, the app set up on another: the
    first session has not shown the code."""
    staff = person("redaction@ville-exemple.fr", is_staff=True, is_superuser=True)
    laptop = Client()
    laptop.post(ALLAUTH_LOGIN, credentials(staff))
    assert session_opened(laptop)

    TOTP.activate(staff, generate_totp_secret())

    assert laptop.get("/admin/")["Location"].startswith(CONFIRM_URL)


def test_the_demo_admin_exemption_still_applies(client, settings):
    settings.DEBUG = True
    settings.RETEX_ADMIN_MFA_EXEMPT_EMAILS = ["admin@retex.localhost"]
    demo_admin = person("admin@retex.localhost", is_staff=True, is_superuser=True)
    TOTP.activate(demo_admin, generate_totp_secret())
    session_without_records(client, demo_admin)
    assert client.get("/admin/").status_code == 200


def test_without_the_requirement_the_admin_does_not_ask(client, settings):
    settings.RETEX_ADMIN_REQUIRES_MFA = False
    staff, _secret = staff_with_app()
    session_without_records(client, staff)
    assert client.get("/admin/").status_code == 200


def test_members_without_admin_access_are_not_asked_for_a_code(client):
    member = person("camille@ville-exemple.fr")
    TOTP.activate(member, generate_totp_secret())
    session_without_records(client, member)
    assert client.get("/mon-espace/").status_code == 200
    assert urlsplit(client.get("/admin/")["Location"]).path == ALLAUTH_LOGIN


# --- Sign-up: the same work for a registered address and a new one ------------------


class CountingHasher(MD5PasswordHasher):
    """Fast, and counts how many passwords were hashed."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Camille",
            "last_name": "Durand",
            "status": "agent",
            "function_title": "DSI",
        },
    )


def test_signing_up_does_the_same_work_for_a_registered_address(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    person("deja@ville-exemple.fr")
    work = {}
    for email in ("deja@ville-exemple.fr", "nouveau@ville-exemple.fr"):
        CountingHasher.hashed = 0
        mail.outbox.clear()
        response = sign_up(Client(), email)
        work[email] = (
            response.status_code,
            response["Location"],
            CountingHasher.hashed,
            [message.to for message in mail.outbox],
        )

    assert work["deja@ville-exemple.fr"] == (
        302,
        "/accounts/confirm-email/",
        1,
        [["deja@ville-exemple.fr"]],
    )
    assert work["nouveau@ville-exemple.fr"] == (
        302,
        "/accounts/confirm-email/",
        1,
        [["nouveau@ville-exemple.fr"]],
    )


def test_an_address_registered_in_other_letters_is_a_registered_address(client):
    person("deja@ville-exemple.fr")

    response = sign_up(client, "Deja@Ville-Exemple.FR")

    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="deja@ville-exemple.fr").count() == 1
    [notice] = mail.outbox
    assert notice.subject == "[Retex] Un compte Retex existe déjà à cette adresse"


# --- Sign-ups racing for one new address --------------------------------------------

RACED = "course@ville-exemple.fr"


def test_a_double_submitted_sign_up_still_gets_its_verification_link():
    """The second submit answers as the first, and sends nothing that would use
    up the address's email allowance before the verification link."""
    first = sign_up(Client(), RACED)
    second = sign_up(Client(), RACED)

    assert _answer(first) == _answer(second) == (302, "/accounts/confirm-email/")
    assert [message.subject for message in mail.outbox] == [
        "[Retex] Confirmez votre adresse e-mail"
    ]


def _answer(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_of_two_racing_sign_ups_gets_the_ordinary_answer(
    settings, monkeypatch
):
    """Both find the address free; the first creates the account; the second's
    insert breaks the unique constraint, and is answered as for a registered
    address: the same page.

    The interleaving is made certain, not left to luck: each form waits, once it
    has checked the address, for the other to have checked it too; then the
    second waits for the first to finish.
    """
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    both_checked = threading.Barrier(2, timeout=60)
    first_done = threading.Event()
    check = manage_email.email_already_exists

    def check_then_wait(email, *args, **kwargs):
        found = check(email, *args, **kwargs)
        if email == RACED:
            both_checked.wait()
            if threading.current_thread().name == "second":
                assert first_done.wait(timeout=60)
        return found

    def first():
        try:
            return _answer(sign_up(Client(raise_request_exception=False), RACED))
        finally:
            first_done.set()

    def second():
        return _answer(sign_up(Client(raise_request_exception=False), RACED))

    monkeypatch.setattr(manage_email, "email_already_exists", check_then_wait)
    answers = run_at_once({"first": first, "second": second})

    assert answers == {
        "first": (302, "/accounts/confirm-email/"),
        "second": (302, "/accounts/confirm-email/"),
    }
    assert User.objects.filter(email=RACED).count() == 1
    # One verification email: the "account already exists" one to the same
    # address falls under allauth's "confirm_email" limit (one per 3 minutes),
    # as for any second sign-up with an address.
    assert [message.subject for message in mail.outbox] == [
        "[Retex] Confirmez votre adresse e-mail"
    ]


# Writers at the same moment: SQLite's in-memory test database refuses them (table
# locks) where PostgreSQL queues them; the race itself is proved on both above.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_simultaneous_sign_ups_with_one_address_all_get_the_same_answer(
    settings,
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False

    def sign_up_at_once():
        return _answer(sign_up(Client(raise_request_exception=False), RACED))

    answers = run_at_once({f"t{n}": sign_up_at_once for n in range(10)})

    assert set(answers.values()) == {(302, "/accounts/confirm-email/")}
    assert User.objects.filter(email=RACED).count() == 1
    assert [message.subject for message in mail.outbox] == [
        "[Retex] Confirmez votre adresse e-mail"
    ]


# --- No third party -----------------------------------------------------------------


def test_the_admin_sends_no_email_hash_to_an_avatar_service(client):
    """Wagtail drew each user's avatar from gravatar.com (the browser suite checks
    that no page requests a third party: tests/browser/test_third_parties.py)."""
    staff, _secret = staff_with_app()
    client.force_login(staff)

    html = client.get("/admin/").content.decode()

    assert "gravatar" not in html
    assert "default-user-avatar" in html
