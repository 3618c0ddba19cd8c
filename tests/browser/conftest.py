"""Fixtures of the browser tests: Debian's chromium driven by Playwright.

The browser is the one installed by the system (`apt-get install chromium`), never
one downloaded by Playwright: `CHROMIUM_PATH` names it, `/usr/bin/chromium` by
default. Without it every test here is skipped, with that reason; it is the only
reason these tests may skip (the axe-core ones also need `npm ci`).

Pages are served by pytest-django's `live_server`, so each test runs in a real
transaction (`django_db(transaction=True, serialized_rollback=True)`), on SQLite
as on PostgreSQL.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS_DIR = Path(settings.VAR_DIR) / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def chromium_path() -> str | None:
    """The system chromium: `CHROMIUM_PATH`, else /usr/bin/chromium or the PATH."""
    wanted = os.environ.get("CHROMIUM_PATH")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    """Skip at collection (before any database is built) what cannot run here."""
    browser_missing = chromium_path() is None
    axe_missing = not AXE_SCRIPT.is_file()
    # CI installs both: there a skip would hide that the journeys did not run.
    if os.environ.get("RETEX_REQUIRE_BROWSER") and (browser_missing or axe_missing):
        raise pytest.UsageError(
            "RETEX_REQUIRE_BROWSER is set but chromium or axe-core is missing "
            "(apt-get install chromium; npm ci)"
        )
    for item in items:
        if "browser" not in item.keywords:
            continue
        if browser_missing:
            where = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
            item.add_marker(
                pytest.mark.skip(
                    reason=f"no chromium at {where}: install Debian's chromium "
                    "(apt-get install chromium) or set CHROMIUM_PATH"
                )
            )
        elif axe_missing and "axe_source" in getattr(item, "fixturenames", ()):
            item.add_marker(
                pytest.mark.skip(
                    reason=f"axe-core is not installed ({AXE_SCRIPT} is missing): "
                    "run `npm ci` at the project root"
                )
            )


@pytest.fixture(scope="package")
def playwright_session():
    """Playwright's sync API, for the browser tests only.

    It keeps an asyncio loop running in this thread while it is started, and
    Django refuses database calls from a thread with a running loop. The tests
    here call the ORM between browser actions (to build content, read emails),
    so Django's check is lifted while Playwright runs and put back as it was
    when the last browser test is done: the rest of the suite keeps it.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def axe_source() -> str:
    """axe-core's script, installed from npm by `npm ci`."""
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture(scope="package")
def browser(playwright_session):
    browser = playwright_session.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _serialized_rollback_restores(django_db_setup, playwright_session):
    """While Playwright's loop runs, Django hands out other connection objects
    than the one the test database was created with, and those lack the data it
    serialised then: `serialized_rollback` would flush the page tree, groups and
    workflow made by migrations without restoring them, for every later test."""
    from django.db import connections

    from tests.conftest import SERIALIZED_CONTENTS

    for alias, contents in SERIALIZED_CONTENTS.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Each log-in hashes a password; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used two-factor codes are counted in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def new_page(browser, live_server, settings):
    """Open a page in a fresh browser profile (no cookies) on the live server.

    `new_page(viewport=PHONE)`, `new_page(javascript=False)`,
    `new_page(scale=2)` for a high-density screen or a zoomed page.

    The live server is the site's public address here: absolute links (the
    agenda's download link, emails) are built from BASE_URL.
    """
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    contexts = []

    def open_page(*, viewport=DESKTOP, javascript=True, scale=1, touch=False):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            device_scale_factor=scale,
            java_script_enabled=javascript,
            has_touch=touch,
            is_mobile=touch,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def serve_media(settings):
    """Serve uploaded images (renditions under /media/images/) from the live
    server, as the proxy does in production (tests/browser/media_urls.py)."""
    settings.ROOT_URLCONF = "tests.browser.media_urls"
