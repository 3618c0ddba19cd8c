"""allauth's account and two-factor pages, and its emails, read as written by the
association: French of our own (not allauth's stock French), in the site's
design, saying why each step is asked; emails signed by the association with
links on BASE_URL that work in one click.

Stock phrases are allauth's own French translations (its catalogue), so a page
falling back to allauth's template is caught whatever its wording.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import UserFactory, verified_person
from tests.html import visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
LINK = re.compile(r"https?://\S+")
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)


@pytest.fixture(autouse=True)
def _codes_accepted_across_a_time_step(settings):
    settings.MFA_TOTP_TOLERANCE = 1


def stock(*msgids: str) -> list[str]:
    """allauth's French for its English source strings (all really translated)."""
    with translation.override("fr"):
        translated = [gettext(msgid) for msgid in msgids]
    assert all(t != m for t, m in zip(translated, msgids, strict=True)), translated
    return [" ".join(t.replace("\xa0", " ").split()) for t in translated]


def read(response) -> tuple[str, str]:
    """(the page's only h1, its visible text)."""
    assert response.status_code == 200, response
    html = response.content.decode()
    headings = H1.findall(html)
    assert len(headings) == 1, headings
    return visible_text(headings[0]), visible_text(html)


def assert_association_page(response, heading, *ours, replaced=()):
    title, text = read(response)
    assert title == heading
    # The site's layout (header, footer), not allauth's bare one.
    assert "Aller au contenu" in text
    for phrase in ours:
        assert phrase in text, phrase
    for phrase in stock(*replaced):
        assert phrase not in text, phrase


def code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def only_link(message) -> str:
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0]


def assert_association_email(message):
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject.startswith("[Retex] ")
    assert message.body.startswith("Bonjour,")
    assert message.body.rstrip().endswith("L'équipe Retex")
    for link in LINK.findall(message.body):
        assert link.startswith(settings.BASE_URL + "/"), link
    for phrase in stock(
        "You are receiving this mail because the following change was made to "
        "your account:",
        "Your password has been changed.",
        "Authenticator app activated.",
    ):
        assert phrase not in message.body


@pytest.fixture
def member(client):
    user = verified_person("camille.durand@ville-exemple.fr")
    client.force_login(user)
    return user


@pytest.fixture
def reauthenticated(client, member):
    """Two-factor settings ask for the password again first (allauth)."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return member


@pytest.fixture
def with_app(member):
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    RecoveryCodes.activate(member)
    return secret


# --- Pages of a visitor ------------------------------------------------------------


def test_password_reset_pages(client):
    assert_association_page(
        client.get("/accounts/password/reset/"),
        "Mot de passe oublié",
        "nous vous envoyons un lien pour choisir un nouveau mot de passe",
        "Recevoir le lien",
        replaced=[
            "Forgotten your password? Enter your email address below, and we'll "
            "send you an email allowing you to reset it.",
            "Reset My Password",
        ],
    )
    assert_association_page(
        client.get("/accounts/password/reset/done/"),
        "Consultez votre messagerie",
        "Regardez dans vos courriers indésirables",
        replaced=[
            "We have sent you an email. If you have not received it please check "
            "your spam folder. Otherwise contact us if you do not receive it in a "
            "few minutes."
        ],
    )
    assert_association_page(
        client.get("/accounts/password/reset/key/1-mauvaise-cle/"),
        "Lien expiré ou déjà utilisé",
        "Recevoir un nouveau lien",
        replaced=["Bad Token"],
    )
    assert_association_page(
        client.get("/accounts/password/reset/key/done/"),
        "Mot de passe enregistré",
        "Connectez-vous avec ce mot de passe",
        replaced=["Your password is now changed."],
    )


def test_account_inactive_page(client):
    assert_association_page(
        client.get("/accounts/inactive/"),
        "Compte désactivé",
        "il ne permet plus de se connecter",
        replaced=["Account Inactive", "This account is inactive."],
    )


def test_email_confirmation_pages(client):
    user = UserFactory(email="agent@ville-exemple.fr")
    address = EmailAddress.objects.create(
        user=user, email=user.email, verified=False, primary=True
    )
    key = EmailConfirmationHMAC(address).key

    page = client.get(f"/accounts/confirm-email/{key}/")
    assert_association_page(
        page,
        "Confirmez votre adresse",
        "Vous confirmez que l'adresse agent@ville-exemple.fr est bien la vôtre",
        "Confirmer mon adresse",
        replaced=["Confirm Email Address"],
    )
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert_association_page(
        client.get("/accounts/confirm-email/cle-perimee/"),
        "Confirmez votre adresse",
        "Ce lien de confirmation a expiré ou a déjà servi",
    )
    assert_association_page(
        client.get("/accounts/confirm-email/"),
        "Vérifiez votre adresse e-mail",
        "Ouvrez le lien du message pour confirmer votre adresse",
    )


# --- Pages of a signed-in member ---------------------------------------------------


def test_address_management_page(client, member):
    EmailAddress.objects.create(
        user=member, email="c.durand@agglo-exemple.fr", verified=False
    )
    page = client.get("/accounts/email/")
    assert_association_page(
        page,
        "Mes adresses électroniques",
        "Nos messages (inscriptions, rappels, alertes de sécurité) partent vers "
        "votre adresse principale",
        "camille.durand@ville-exemple.fr — vérifiée, principale",
        "c.durand@agglo-exemple.fr — en attente de vérification",
        "Ajouter une adresse",
        replaced=[
            "The following email addresses are associated with your account:",
            "Make Primary",
            "Re-send Verification",
            "Add Email",
        ],
    )
    html = page.content.decode()
    for button in ("action_primary", "action_send", "action_remove", "action_add"):
        assert f'name="{button}"' in html
    # Mon espace in the breadcrumbs.
    assert 'href="/mon-espace/"' in html


def test_adding_an_address_sends_a_confirmation_that_works_in_one_click(client, member):
    response = client.post(
        "/accounts/email/",
        {"email": "c.durand@agglo-exemple.fr", "action_add": ""},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["c.durand@agglo-exemple.fr"]
    assert message.subject == "[Retex] Confirmez votre adresse e-mail"
    assert_association_email(message)
    link = only_link(message)
    assert link.startswith(settings.BASE_URL + "/accounts/confirm-email/")

    page = client.get(urlsplit(link).path)
    assert "Confirmer mon adresse" in visible_text(page.content.decode())
    client.post(urlsplit(link).path)
    assert EmailAddress.objects.get(email="c.durand@agglo-exemple.fr").verified


def test_a_wrong_address_is_refused_in_french_next_to_its_field(client, member):
    response = client.post(
        "/accounts/email/", {"email": "pas-une-adresse", "action_add": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert "Saisissez une adresse de courriel valide" in visible_text(html)
    assert not EmailAddress.objects.filter(email="pas-une-adresse").exists()


def test_password_change_and_logout_pages(client, member):
    assert_association_page(
        client.get("/accounts/password/change/"),
        "Changer mon mot de passe",
        "vous êtes déconnecté·e partout",
        replaced=["Change Password"],
    )
    assert_association_page(
        client.get("/accounts/logout/"),
        "Se déconnecter",
        "Vous quittez votre session Retex sur cet appareil",
        "Rester connecté·e",
        replaced=["Are you sure you want to sign out?"],
    )
    assert_association_page(
        client.get("/accounts/reauthenticate/"),
        "Confirmez votre identité",
        "nous vérifions qu'il s'agit bien de vous",
        "Confirmer avec mon mot de passe",
        replaced=[
            "Confirm Access",
            "Please reauthenticate to safeguard your account.",
            "Enter your password:",
        ],
    )


def test_password_set_page_for_an_account_without_password(client):
    user = verified_person("sans-mot-de-passe@ville-exemple.fr")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert_association_page(
        client.get("/accounts/password/set/"),
        "Choisir un mot de passe",
        "Votre compte n'a pas encore de mot de passe",
        replaced=["Set Password"],
    )


def test_changing_the_password_sends_a_signed_french_notice(client, member):
    new_password = "une-phrase-de-passe-2027"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Retex] Votre mot de passe a été changé"
    assert_association_email(message)
    assert "Le mot de passe de votre compte Retex vient d'être changé" in message.body
    assert "Ce n'était pas vous" in message.body
    assert only_link(message) == settings.BASE_URL + "/accounts/password/reset/"


def test_reset_email_is_french_and_its_link_works_in_one_click(client):
    verified_person("camille.durand@ville-exemple.fr")
    client.post(
        "/accounts/password/reset/", {"email": "camille.durand@ville-exemple.fr"}
    )
    [message] = mail.outbox
    assert message.subject == "[Retex] Réinitialisation de votre mot de passe"
    assert_association_email(message)
    assert "choisir un nouveau mot de passe pour votre compte Retex" in message.body
    link = only_link(message)

    form_url = client.get(urlsplit(link).path)["Location"]
    assert_association_page(
        client.get(form_url),
        "Choisissez un nouveau mot de passe",
        "Au moins 10 caractères",
        replaced=["Change Password"],
    )
    new_password = "une-phrase-de-passe-2027"
    response = client.post(
        form_url, {"password1": new_password, "password2": new_password}
    )
    assert response["Location"] == "/accounts/password/reset/key/done/"
    notice = mail.outbox[-1]
    assert notice.subject == "[Retex] Votre mot de passe a été réinitialisé"
    assert_association_email(notice)


# --- Two-factor authentication -----------------------------------------------------


def test_two_factor_index_without_and_with_the_app(client, member):
    assert_association_page(
        client.get("/accounts/2fa/"),
        "Double authentification",
        "obligatoire pour ouvrir l'administration du site",
        "Pas encore activée",
        "Activer l'application",
        replaced=["An authenticator app is not active.", "No recovery codes set up."],
    )
    TOTP.activate(member, generate_totp_secret())
    RecoveryCodes.activate(member)
    assert_association_page(
        client.get("/accounts/2fa/"),
        "Double authentification",
        "Activée : le code de l'application vous est demandé à chaque connexion",
        "Il vous reste 10 codes sur 10",
        "Voir mes codes de secours",
        replaced=[
            "Authentication using an authenticator app is active.",
            "Recovery Codes",
        ],
    )


def test_activation_page_gives_the_secret_as_text_and_a_wrong_code_is_linked(
    client, reauthenticated
):
    page = client.get("/accounts/2fa/totp/activate/")
    assert_association_page(
        page,
        "Activer l'application d'authentification",
        "Installez une application d'authentification",
        "Clé de configuration",
        "Gardez cette clé en lieu sûr",
        replaced=[
            "To protect your account with two-factor authentication, scan the QR "
            "code below with your authenticator app. Then, input the verification "
            "code generated by the app below.",
            "Authenticator secret",
        ],
    )
    secret = client.session["mfa.totp.secret"]
    html = page.content.decode()
    # The QR code's text alternative names the secret, also given to copy.
    assert re.search(rf'<img [^>]*alt="[^"]*{secret}[^"]*"', html)
    assert re.search(rf'<code id="authenticator_secret"[^>]*>{secret}</code>', html)
    assert 'href="otpauth://totp/' in html

    wrong = str((int(code(secret)) + 500_000) % 1_000_000).zfill(6)
    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_code_error"' in html
    assert 'id="id_code_error"' in html
    assert not Authenticator.objects.filter(user=reauthenticated).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_activating_the_app_shows_the_recovery_codes_and_emails_a_notice(
    client, member, reauthenticated
):
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]

    # allauth sends its notice once the activation is committed, within the
    # request (hence a test with real transactions).
    response = client.post("/accounts/2fa/totp/activate/", {"code": code(secret)})

    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    page = client.get(response["Location"])
    assert_association_page(
        page,
        "Vos codes de secours",
        "Gardez-les en lieu sûr",
        "Il vous reste 10 codes sur 10",
        "Télécharger les codes",
        replaced=["Unused codes"],
    )
    codes = RecoveryCodes(
        Authenticator.objects.get(user=member, type="recovery_codes")
    ).get_unused_codes()
    assert all(f"<code>{c}</code>" in page.content.decode() for c in codes)
    download = client.get("/accounts/2fa/recovery-codes/download/")
    text = download.content.decode()
    assert text.startswith("Codes de secours Retex de camille.durand@ville-exemple.fr")
    assert all(c in text.split() for c in codes)

    [message] = mail.outbox
    assert message.subject == "[Retex] Double authentification activée"
    assert_association_email(message)
    assert "Gardez vos codes de secours en lieu sûr" in message.body


def test_deactivate_and_new_codes_pages(client, member, with_app, reauthenticated):
    assert_association_page(
        client.get("/accounts/2fa/totp/deactivate/"),
        "Désactiver l'application d'authentification",
        "ne sera plus protégé que par votre mot de passe",
        "Garder l'application",
        replaced=[
            "You are about to deactivate authenticator app based authentication. "
            "Are you sure?"
        ],
    )
    assert_association_page(
        client.get("/accounts/2fa/recovery-codes/generate/"),
        "Nouveaux codes de secours",
        "Vos codes actuels cesseront aussitôt de fonctionner",
        replaced=[
            "You are about to generate a new set of recovery codes for your account."
        ],
    )
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=member, type="totp").exists()
    assert mail.outbox[-1].subject == "[Retex] Double authentification désactivée"
    assert_association_email(mail.outbox[-1])


def test_login_code_and_reauthentication_by_code_pages(client, with_app, member):
    assert_association_page(
        client.get("/accounts/2fa/reauthenticate/"),
        "Confirmez votre identité",
        "Saisissez le code à six chiffres de votre application",
        "Confirmer plutôt avec mon mot de passe",
        replaced=["Enter an authenticator code:", "Use your password"],
    )
    client.logout()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    page = client.get("/accounts/2fa/authenticate/")
    assert_association_page(
        page,
        "Code de connexion",
        "Sans votre téléphone, saisissez l'un de vos codes de secours",
        replaced=[
            "Your account is protected by two-factor authentication. Please enter "
            "an authenticator code:"
        ],
    )
    assert 'id="logout-from-stage"' in page.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": code(with_app)})
    assert response.status_code == 302
    assert client.get("/mon-espace/").status_code == 200
