"""Logging in through allauth's pages, with the second factor when there is one."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.browser.content import Person
from tests.browser.ui import Ui

TOTP_PERIOD = 30


def current_code(secret: str) -> str:
    """The code the authenticator app shows now.

    Waits for the next period when the current one is about to end, so that the
    code is still valid when the form reaches the server.
    """
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 3:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def log_in(ui: Ui, somebody: Person, *, next_url: str = ""):
    page = ui.page
    ui.go("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    ui.fill(page.get_by_label("E-mail"), somebody.email)
    ui.fill(page.get_by_label("Mot de passe", exact=False), somebody.password)
    ui.activate(page.get_by_role("button", name="Connexion"))
    if somebody.totp_secret:
        code = page.get_by_label("Code")
        expect(code).to_be_visible()
        ui.fill(code, current_code(somebody.totp_secret))
        ui.activate(page.get_by_role("button", name="Connexion"))
    expect(page.get_by_role("button", name="Connexion")).to_have_count(0)
