"""Account journeys on allauth's pages in the association's words: a forgotten
password reset from the email's link, and the authenticator app set up from Mon
espace. Keyboard only, on a 360 px phone and without JavaScript; axe-clean.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import expect

from tests.browser.accounts import current_code, log_in
from tests.browser.content import Person, person
from tests.browser.test_axe import axe_violations, report
from tests.browser.ui import Ui, open_for_mode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MODES = ("clavier", "mobile", "sans-javascript")
NEW_PASSWORD = "une-phrase-de-passe-2027"


def assert_axe_clean(ui: Ui, axe_source: str):
    """axe-core runs in the page: not where JavaScript is off (the same pages
    are checked in the other modes)."""
    if ui.mode == "sans-javascript":
        return
    violations = axe_violations(ui.page, axe_source)
    assert not violations, report({ui.page.url: violations})


def heading(ui: Ui):
    return ui.page.get_by_role("heading", level=1)


@pytest.mark.parametrize("mode", MODES)
def test_a_forgotten_password_is_reset_from_the_emailed_link(
    new_page, axe_source, mode
):
    somebody = person("camille.durand@ville-exemple.fr", first_name="Camille")
    ui = Ui(open_for_mode(new_page, mode), mode, "mot-de-passe-oublie")
    page = ui.page
    main = page.locator("main")

    ui.go("/accounts/login/")
    ui.activate(main.get_by_role("link", name="Mot de passe oublié"))
    expect(heading(ui)).to_have_text("Mot de passe oublié")
    assert_axe_clean(ui, axe_source)
    ui.fill(page.get_by_label("E-mail"), somebody.email)
    ui.step("demande")
    ui.activate(main.get_by_role("button", name="Recevoir le lien"))
    expect(heading(ui)).to_have_text("Consultez votre messagerie")
    assert_axe_clean(ui, axe_source)
    ui.step("courriel-envoye")

    # The email's link, opened as from a mail client.
    (message,) = [m for m in mail.outbox if m.to == [somebody.email]]
    assert message.subject == "[Retex] Réinitialisation de votre mot de passe"
    (link,) = re.findall(r"https?://\S+", message.body)
    ui.go(urlsplit(link).path)
    expect(heading(ui)).to_have_text("Choisissez un nouveau mot de passe")
    assert_axe_clean(ui, axe_source)
    ui.fill(page.get_by_label("Nouveau mot de passe :", exact=True), NEW_PASSWORD)
    ui.fill(page.get_by_label("Nouveau mot de passe (confirmation)"), NEW_PASSWORD)
    ui.step("nouveau-mot-de-passe")
    ui.activate(main.get_by_role("button", name="Enregistrer ce mot de passe"))
    expect(heading(ui)).to_have_text("Mot de passe enregistré")
    assert_axe_clean(ui, axe_source)
    ui.step("mot-de-passe-enregistre")

    # The old password no longer opens the account; the new one does.
    ui.activate(main.get_by_role("link", name="Se connecter"))
    log_in(ui, Person(user=somebody.user, email=somebody.email, password=NEW_PASSWORD))
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
    ui.step("connecte")


@pytest.mark.parametrize("mode", MODES)
def test_a_member_sets_up_the_authenticator_app_from_mon_espace(
    new_page, axe_source, mode
):
    somebody = person("camille.durand@ville-exemple.fr", first_name="Camille")
    ui = Ui(open_for_mode(new_page, mode), mode, "double-authentification")
    page = ui.page
    main = page.locator("main")
    log_in(ui, somebody)

    ui.go("/mon-espace/")
    ui.activate(main.get_by_role("link", name="Double authentification"))
    expect(heading(ui)).to_have_text("Double authentification")
    assert_axe_clean(ui, axe_source)
    ui.step("double-authentification")
    ui.activate(main.get_by_role("link", name="Activer l'application"))

    # allauth asks for the password again before a change of security.
    expect(heading(ui)).to_have_text("Confirmez votre identité")
    assert_axe_clean(ui, axe_source)
    ui.fill(page.get_by_label("Mot de passe :", exact=True), somebody.password)
    ui.activate(main.get_by_role("button", name="Confirmer avec mon mot de passe"))

    expect(heading(ui)).to_have_text("Activer l'application d'authentification")
    assert_axe_clean(ui, axe_source)
    ui.step("activation")
    # No camera: the key is given as text, as the QR code's alternative says.
    expect(main).to_contain_text("Clé de configuration")
    secret = main.locator("#authenticator_secret").inner_text()
    assert secret in main.get_by_role("img").get_attribute("alt")
    ui.fill(page.get_by_label("Code de l'authentificateur"), current_code(secret))
    ui.activate(main.get_by_role("button", name="Activer", exact=True))

    expect(heading(ui)).to_have_text("Vos codes de secours")
    expect(main).to_contain_text("Gardez-les en lieu sûr")
    assert_axe_clean(ui, axe_source)
    ui.step("codes-de-secours")
    assert Authenticator.objects.filter(
        user=somebody.user, type=Authenticator.Type.TOTP
    ).exists()
    assert any(
        m.subject == "[Retex] Double authentification activée" for m in mail.outbox
    )

    # The next login asks for the app's code after the password.
    page.context.clear_cookies()
    somebody.totp_secret = secret
    ui.go("/accounts/login/")
    ui.fill(page.get_by_label("E-mail"), somebody.email)
    ui.fill(page.get_by_label("Mot de passe", exact=False), somebody.password)
    ui.activate(main.get_by_role("button", name="Connexion"))
    expect(heading(ui)).to_have_text("Code de connexion")
    assert_axe_clean(ui, axe_source)
    ui.step("code-de-connexion")
    ui.fill(page.get_by_label("Code"), current_code(secret))
    ui.activate(main.get_by_role("button", name="Connexion"))
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
