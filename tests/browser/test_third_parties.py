"""No page of the site, the admin included, makes the browser call a third party.

The browser records every request a page makes (documents, scripts, styles,
images, fonts, fetches, frames): all of them must go to the site itself. Wagtail's
admin used to load each user's avatar from gravatar.com, telling it the hash of
their email address on every page.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.accounts import log_in
from tests.browser.content import build_content, with_authenticator
from tests.browser.ui import Ui

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def visit(ui: Ui, path: str) -> None:
    ui.go(path)
    ui.page.wait_for_load_state("networkidle")


def test_no_page_calls_a_third_party(new_page, live_server):
    content = build_content()
    staff = with_authenticator(content.staff)
    page = new_page()
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    ui = Ui(page, "souris", "tiers")

    public = [
        "/",
        "/ressources/",
        content.article.url,
        content.practice.url,
        "/evenements/",
        content.training.url,
        "/membres/",
        content.bellerive.url,
        "/recherche/?q=numérique",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    for path in public:
        visit(ui, path)

    log_in(ui, staff, next_url="/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    admin = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{content.article.pk}/edit/",
        "/admin/users/",
        "/admin/documents/",
        "/admin/images/",
    ]
    for path in admin:
        visit(ui, path)
        # Not even as an address for later (the account menu draws the avatar).
        assert "gravatar" not in page.content()

    site = origin(live_server.url)
    network = [url for url in requested if urlsplit(url).scheme in NETWORK_SCHEMES]
    assert len(network) > len(public) + len(admin)
    elsewhere = sorted({url for url in network if origin(url) != site})
    assert elsewhere == []
