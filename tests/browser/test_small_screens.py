"""Small screens (issue 20): the listings' filters fold into a disclosure.

At 360 x 740 the first result is on the first screen, with or without
JavaScript; the summary says how many filters are active; on a wide screen the
filters are shown without a click (with or without JavaScript).
"""

import uuid

import pytest
from playwright.sync_api import expect

from aid.questions import question_create
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from tests.browser.page_types import build_site, logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# (name, path, opened by a member): every listing with filters.
LISTINGS = [
    ("ressources", "/ressources/", False),
    ("annuaire", "/membres/", False),
    ("agenda", "/evenements/", False),
    ("entraide", "/entraide/", True),
    ("recherche", "/recherche/?q=num%C3%A9rique", False),
]
FIRST_RESULT = "main .card-list > li >> nth=0"
SUMMARY = "main details.filters-disclosure > summary"
SHOTS = SCREENSHOTS_DIR / "petits-ecrans"


def open_pages(new_page, live_server, site, *, viewport, javascript):
    visitor = new_page(viewport=viewport, javascript=javascript)
    member = logged_in(
        new_page(viewport=viewport, javascript=javascript),
        site.member.user,
        live_server.url,
    )
    return visitor, member


def with_a_question(site):
    question_create(
        author=site.member.user,
        title="Qui a ouvert un tiers-lieu numérique en mairie ?",
        details="Nous avons un local disponible.",
        token=uuid.uuid4(),
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-javascript"])
def test_at_360_px_the_first_result_is_on_the_first_screen(
    new_page, live_server, javascript
):
    site = build_site()
    with_a_question(site)
    SHOTS.mkdir(parents=True, exist_ok=True)
    visitor, member = open_pages(
        new_page, live_server, site, viewport=PHONE, javascript=javascript
    )
    for name, path, members_only in LISTINGS:
        page = member if members_only else visitor
        page.goto(path)
        summary = page.locator(SUMMARY)
        expect(summary, name).to_be_visible()
        expect(summary.locator("xpath=..")).not_to_have_attribute("open", "")
        first = page.locator(FIRST_RESULT)
        expect(first, name).to_be_visible()
        box = first.bounding_box()
        assert box["y"] + 48 <= PHONE["height"], (
            f"{name}: first result at {box['y']} px"
        )
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"{name} scrolls sideways"
        page.screenshot(path=SHOTS / f"{name}-{'js' if javascript else 'sans-js'}.png")
    # Nothing may still be loading when the test's data is rolled back.
    for page in (visitor, member):
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")


def test_at_360_px_the_disclosure_opens_and_counts_the_active_filters(
    new_page, live_server
):
    build_site()
    page = new_page(viewport=PHONE, touch=True, scale=2)
    page.goto("/ressources/?kind=entretien&theme=inclusion-numerique")
    summary = page.locator(SUMMARY)
    expect(summary).to_contain_text("Filtrer les résultats")
    expect(summary).to_contain_text("2 filtres actifs")
    theme = page.get_by_label("Thème")
    expect(theme).to_be_hidden()
    summary.tap()
    expect(theme).to_be_visible()
    expect(page.get_by_role("button", name="Appliquer")).to_be_visible()
    # Without a filter, the summary counts nothing.
    page.goto("/ressources/")
    expect(page.locator(SUMMARY)).to_have_text("Filtrer les résultats")
    # An invalid filter: the disclosure is open on phones, its error shown.
    page.goto("/membres/?kind=pas-un-type")
    expect(page.locator("main .field-error")).to_be_visible()
    expect(page.locator("main select[aria-invalid='true']")).to_be_visible()
    expect(page.locator(SUMMARY)).to_contain_text("Filtrer les résultats")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-javascript"])
def test_on_a_wide_screen_the_filters_are_shown_without_a_click(
    new_page, live_server, javascript
):
    site = build_site()
    with_a_question(site)
    visitor, member = open_pages(
        new_page, live_server, site, viewport=DESKTOP, javascript=javascript
    )
    for name, path, members_only in LISTINGS:
        page = member if members_only else visitor
        page.goto(path)
        fields = page.locator(
            "main details.filters-disclosure :is(select, .facet-list a)"
        )
        expect(fields.first, name).to_be_visible()
        if javascript:  # assistive technologies are told it is open
            expect(
                page.locator("main details.filters-disclosure"), name
            ).to_have_attribute("open", "")
