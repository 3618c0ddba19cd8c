"""The members' map by keyboard (issue 20): Tab reaches a member's point, its
accessible name is the collectivity's, Enter opens its profile; axe-clean at
1280 and 360 px, no request leaves the site. One test: the site is built once."""

import pytest
from playwright.sync_api import expect

from territories.text import with_article
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.page_types import build_site
from tests.browser.test_axe import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ON_MAP = (
    "() => !!document.activeElement && "
    "document.activeElement.matches('.members-map__points a')"
)


def tab_to_the_map(page, limit=200):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ON_MAP):
            return page.locator(":focus")
    raise AssertionError("Tab never reached a point of the map")


def test_tab_reaches_a_member_on_the_map_and_enter_opens_its_profile(
    new_page, live_server, axe_source
):
    site = build_site()
    # axe-clean at both widths, and nothing requested outside the site.
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport=viewport)
        outside = []
        page.on(
            "request",
            lambda request, outside=outside: (
                outside.append(request.url)
                if not request.url.startswith((live_server.url, "data:"))
                else None
            ),
        )
        page.goto(f"{live_server.url}/membres/")
        expect(page.locator(".members-map__points a")).to_have_count(2)
        assert axe_violations(page, axe_source) == []
        assert outside == []
    page = new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/membres/")
    point = tab_to_the_map(page)
    # Members are drawn in the directory's order (by name): the Communauté de
    # communes des Trois Vallées comes first.
    profile = site.content.trois_vallees
    expect(point).to_have_accessible_name(profile.title)
    # The focus is visible: the point changes colour and gets a thick ring.
    circle = page.locator(".members-map__points a:focus circle")
    assert (
        float(circle.evaluate("c => parseFloat(getComputedStyle(c).strokeWidth)")) >= 3
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{profile.url}")
    expect(page.locator("h1")).to_have_text(profile.title)
    # The profile shows where it is, without a link.
    expect(page.locator("figure.members-map--small svg title")).to_have_text(
        f"Situation {with_article(profile.title, 'de')} sur la carte de France"
    )
    assert axe_violations(page, axe_source) == []
    # The home page draws the network's members too, each a link.
    page.goto(f"{live_server.url}/")
    expect(page.locator("#home-map-title")).to_have_count(1)
    expect(page.get_by_role("link", name=profile.title)).not_to_have_count(0)
    assert axe_violations(page, axe_source) == []
