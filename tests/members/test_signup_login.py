"""Sign-up, email verification, login, password reset and their rate limits.

Everything goes through allauth's pages, as a visitor would: emails in French from
Retex, no way to tell registered addresses from others, and "Trop de tentatives…"
once somebody insists.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core import mail

from tests.factories import UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
LINK = re.compile(r"https?://\S+")


def verified_member(email="camille.durand@ville-exemple.fr"):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


PERSON = {
    "first_name": "Camille",
    "last_name": "Durand",
    "status": "agent",
    "function_title": "Cheffe de projet, service informatique",
}


def sign_up(client, email, **person):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **PERSON,
            **person,
        },
    )


def only_link(message) -> str:
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0]


def is_logged_in(client) -> bool:
    return client.get("/mon-espace/").status_code == 200


# --- Sign-up and email verification ------------------------------------------------


def test_signing_up_sends_a_french_verification_email_from_retex(client):
    response = sign_up(client, "Agent.Numerique@Ville-Exemple.fr")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "Vérifiez votre adresse e-mail" in visible_text(
        client.get(response["Location"]).content.decode()
    )
    [message] = mail.outbox
    assert message.to == ["agent.numerique@ville-exemple.fr"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "[Retex] Confirmez votre adresse e-mail"
    assert message.body.startswith("Bonjour,")
    assert "Vous venez de créer un compte sur Retex" in message.body
    assert "agent.numerique@ville-exemple.fr" in message.body
    assert "Pour confirmer cette adresse et activer votre compte" in message.body
    assert message.body.endswith("L'équipe Retex")
    link = urlsplit(only_link(message))
    assert f"{link.scheme}://{link.netloc}" == settings.BASE_URL  # Not the host.
    assert link.path.startswith("/accounts/confirm-email/")


def test_the_link_in_the_email_verifies_the_address_then_login_works(client):
    sign_up(client, "agent@ville-exemple.fr")
    link = urlsplit(only_link(mail.outbox[0])).path

    # Opening the link only shows a button: mail scanners confirm nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer" in visible_text(page.content.decode())
    assert not EmailAddress.objects.get(email="agent@ville-exemple.fr").verified

    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="agent@ville-exemple.fr").verified
    assert not is_logged_in(client)

    response = log_in(client, "agent@ville-exemple.fr")
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL
    assert is_logged_in(client)


def test_login_is_refused_while_the_address_is_unverified(client):
    sign_up(client, "agent@ville-exemple.fr")
    client.logout()
    mail.outbox.clear()

    response = log_in(client, "agent@ville-exemple.fr")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not is_logged_in(client)


def test_a_wrong_password_is_refused_in_french(client):
    verified_member()
    response = log_in(client, "camille.durand@ville-exemple.fr", "pas-le-bon-2026")
    assert response.status_code == 200
    assert "le mot de passe sont incorrects" in visible_text(response.content.decode())
    assert not is_logged_in(client)


def test_signing_up_again_with_a_registered_address_tells_nothing_on_the_page(
    client,
):
    verified_member("deja@ville-exemple.fr")
    registered = sign_up(client, "deja@ville-exemple.fr")
    client.logout()
    unknown = sign_up(client, "nouveau@ville-exemple.fr")
    assert registered.status_code == unknown.status_code == 302
    assert registered["Location"] == unknown["Location"]
    # Only the owner of the registered address learns it, in their mailbox.
    notice = next(m for m in mail.outbox if m.to == ["deja@ville-exemple.fr"])
    assert notice.subject == "[Retex] Un compte Retex existe déjà à cette adresse"
    assert "Un compte utilise déjà cette adresse" in notice.body
    assert urlsplit(only_link(notice)).path == "/accounts/password/reset/"


# --- Password reset ----------------------------------------------------------------


def test_password_reset_emails_a_link_to_a_known_address(client):
    verified_member()

    response = client.post(
        "/accounts/password/reset/", {"email": "camille.durand@ville-exemple.fr"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    [message] = mail.outbox
    assert message.to == ["camille.durand@ville-exemple.fr"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "[Retex] Réinitialisation de votre mot de passe"
    assert "choisir un nouveau mot de passe" in message.body
    assert urlsplit(only_link(message)).path.startswith("/accounts/password/reset/key/")


def test_a_reset_link_sets_a_new_password(client):
    verified_member()
    client.post(
        "/accounts/password/reset/", {"email": "camille.durand@ville-exemple.fr"}
    )
    link = urlsplit(only_link(mail.outbox[0])).path

    form_url = client.get(link)["Location"]  # the key moves to the session
    new_password = "un-nouveau-mot-de-passe-2026"
    response = client.post(
        form_url, {"password1": new_password, "password2": new_password}
    )

    assert response.status_code == 302
    assert log_in(client, "camille.durand@ville-exemple.fr", new_password)[
        "Location"
    ] == (settings.LOGIN_REDIRECT_URL)


def test_password_reset_answers_an_unknown_address_exactly_the_same(client):
    verified_member()
    known = client.post(
        "/accounts/password/reset/", {"email": "camille.durand@ville-exemple.fr"}
    )
    known_page = client.get(known["Location"]).content
    unknown = client.post(
        "/accounts/password/reset/", {"email": "inconnu@ville-exemple.fr"}
    )
    unknown_page = client.get(unknown["Location"]).content

    assert (known.status_code, known["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    assert known_page == unknown_page
    assert "Nous venons d'écrire à l'adresse indiquée" in visible_text(
        known_page.decode()
    )


def test_an_unknown_address_is_only_told_in_its_own_mailbox(client):
    """ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS: a note, with no reset link, to that address."""
    client.post("/accounts/password/reset/", {"email": "inconnu@ville-exemple.fr"})

    [message] = mail.outbox
    assert message.to == ["inconnu@ville-exemple.fr"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "[Retex] Aucun compte Retex à cette adresse"
    assert "Aucun compte Retex n'utilise cette adresse" in message.body
    assert urlsplit(only_link(message)).path == "/accounts/signup/"


# --- Rate limits -------------------------------------------------------------------


def test_every_configured_rate_limit_is_understood_by_allauth():
    for action, rates in settings.ACCOUNT_RATE_LIMITS.items():
        assert parse_rates(rates), action
    assert {"login", "login_failed", "signup", "reset_password"} <= set(
        settings.ACCOUNT_RATE_LIMITS
    )


def test_wrong_passwords_lock_the_account_for_a_while_even_with_the_right_one(
    client,
):
    verified_member()
    for _attempt in range(5):
        log_in(client, "camille.durand@ville-exemple.fr", "pas-le-bon-2026")

    response = log_in(client, "camille.durand@ville-exemple.fr")

    assert response.status_code == 200
    assert "Trop de tentatives de connexion échouées" in visible_text(
        response.content.decode()
    )
    assert not is_logged_in(client)


def test_too_many_logins_from_one_address_get_a_french_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    verified_member()
    for _attempt in range(3):
        wrong = log_in(client, "camille.durand@ville-exemple.fr", "faux")
        assert wrong.status_code == 200

    response = log_in(client, "camille.durand@ville-exemple.fr")

    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert 'aria-label="Menu principal"' in html
    assert re.search(r"<h1>\s*Trop de tentatives\s*</h1>", html)
    assert "Merci de réessayer plus tard" in visible_text(html)
    assert not is_logged_in(client)


def test_repeated_password_reset_requests_for_one_address_get_429(client):
    """The per-address limit also keeps the form from mailing a stranger on a loop."""
    [allowed] = [
        rate.amount
        for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS["reset_password"])
        if rate.per == "key"
    ]
    for _attempt in range(allowed):
        response = client.post(
            "/accounts/password/reset/", {"email": "inconnu@ville-exemple.fr"}
        )
        assert response.status_code == 302
    response = client.post(
        "/accounts/password/reset/", {"email": "inconnu@ville-exemple.fr"}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in visible_text(response.content.decode())
    assert len(mail.outbox) == allowed


def test_too_many_sign_ups_from_one_address_get_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    sign_up(client, "un@ville-exemple.fr")
    client.logout()
    sign_up(client, "deux@ville-exemple.fr")
    client.logout()
    assert sign_up(client, "trois@ville-exemple.fr").status_code == 429


# --- The admin's login --------------------------------------------------------------


def test_posting_credentials_to_the_admin_login_does_not_log_in(client):
    admin = verified_member("admin@ville-exemple.fr")
    admin.is_staff = admin.is_superuser = True
    admin.save()

    response = client.post(
        "/admin/login/",
        {"username": "admin@ville-exemple.fr", "password": PASSWORD},
    )

    assert response.status_code in {301, 302, 307, 308}
    assert urlsplit(response["Location"]).path == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert not is_logged_in(client)


def test_wagtails_own_password_reset_is_closed(client):
    """Only allauth's, which is rate-limited and answers unknown addresses alike."""
    verified_member()
    response = client.post(
        "/admin/password_reset/", {"email": "camille.durand@ville-exemple.fr"}
    )
    assert response.status_code == 404
    assert mail.outbox == []
