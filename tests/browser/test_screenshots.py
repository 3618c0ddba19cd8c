"""Screenshots of every page type at 1280 and 360 px (issue 20), full page, in
var/screenshots/pages-<width>/, to be looked at; each page also must not scroll
sideways and must keep its first heading on the first screen."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from tests.browser.page_types import build_site, logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "360px"])
def test_screenshots_of_every_page_type(new_page, live_server, serve_media, viewport):
    site = build_site()
    folder = SCREENSHOTS_DIR / f"pages-{viewport['width']}"
    folder.mkdir(parents=True, exist_ok=True)
    visitor = new_page(viewport=viewport)
    member = logged_in(new_page(viewport=viewport), site.member.user, live_server.url)
    for number, page_type in enumerate(site.pages, start=1):
        page = member if page_type.member else visitor
        page.goto(page_type.path)
        page.wait_for_load_state("networkidle")
        heading = page.get_by_role("heading", level=1)
        expect(heading, page_type.name).to_be_visible()
        assert heading.bounding_box()["y"] < viewport["height"], page_type.name
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"{page_type.name} scrolls sideways"
        page.screenshot(
            path=folder / f"{number:02d}-{page_type.name}.png", full_page=True
        )
    for page in (visitor, member):
        page.goto("about:blank")


def test_a_practice_and_an_interview_print_on_a4(new_page, live_server, serve_media):
    """Printed (print CSS): no header, navigation, footer nor download button;
    a PDF of each page is written beside the screenshots."""
    site = build_site()
    folder = SCREENSHOTS_DIR / "impression"
    folder.mkdir(parents=True, exist_ok=True)
    page = new_page(viewport={"width": 794, "height": 1123})
    for name, url in [
        ("retour-d-experience", site.content.practice.url),
        ("entretien", site.content.interview.url),
    ]:
        page.goto(url)
        page.emulate_media(media="print")
        for hidden in ("header.site-header", "footer.site-footer", ".knowledge__tools"):
            for element in page.locator(hidden).all():
                expect(element, f"{name}: {hidden}").to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=folder / f"{name}.png", full_page=True)
        page.pdf(path=folder / f"{name}.pdf", format="A4")
        page.emulate_media(media="screen")
    page.goto("about:blank")
