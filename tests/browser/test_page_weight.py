"""The home page's weight (issue 20): under 500 kB transferred, images included,
with an empty cache, at 1280 and 360 px; nothing requested from another site;
and the Largest Contentful Paint image, if the largest thing on the first screen
is an image, is not lazy-loaded (eager, or preloaded).

The site is the browser suite's (tests/browser/page_types.py), with the demo's
kinds of pictures: illustrations, a portrait, coats of arms. The page is scrolled
to its end, so lazy images below the fold are counted too. Static files are
served uncompressed by the test server (whitenoise compresses them in
production): the budget holds without compression.
"""

import json
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from tests.browser.page_types import build_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUDGET = 500 * 1000  # bytes transferred: headers and (encoded) bodies

LCP = """() => new Promise(resolve => {
    new PerformanceObserver(list => {
        const entry = list.getEntries().at(-1);
        const element = entry.element;
        resolve({
            tag: element ? element.tagName.toLowerCase() : null,
            loading: element ? element.getAttribute("loading") : null,
            url: entry.url,
            size: entry.size,
        });
    }).observe({type: "largest-contentful-paint", buffered: true});
})"""

# Images on the first screen large enough to be the page's largest content.
FIRST_SCREEN_IMAGES = """() => [...document.images].filter(img => {
    const box = img.getBoundingClientRect();
    return box.top < innerHeight && box.bottom > 0 && box.width * box.height >= 40000;
}).map(img => ({src: img.currentSrc, loading: img.getAttribute("loading")}))"""

PRELOADED = """() => [...document.querySelectorAll('link[rel="preload"][as="image"]')]
    .map(link => link.href || link.getAttribute("imagesrcset"))"""


def scroll_to_the_end(page):
    """Scroll a screen at a time, so every lazy image is asked for."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    step = page.viewport_size["height"]
    for top in range(0, height + step, step):
        page.evaluate("top => window.scrollTo(0, top)", top)
        page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "360px"])
def test_the_home_page_weighs_less_than_500_kb_with_its_images(
    new_page, live_server, serve_media, viewport
):
    build_site()
    page = new_page(viewport=viewport)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    finished, failed = [], []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: failed.append(request))

    response = page.goto("/")
    page.wait_for_load_state("networkidle")
    lcp = page.evaluate(LCP)
    first_screen = page.evaluate(FIRST_SCREEN_IMAGES)
    preloaded = page.evaluate(PRELOADED)
    scroll_to_the_end(page)
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS_DIR / f"poids-accueil-{viewport['width']}.png", full_page=True
    )

    assert response.status == 200
    assert not failed, [request.url for request in failed]
    site = urlsplit(live_server.url).netloc
    network = [r for r in finished if urlsplit(r.url).scheme in ("http", "https")]
    assert [r.url for r in network if urlsplit(r.url).netloc != site] == []
    sizes = {}
    for request in network:
        answer = request.response()
        assert answer.status < 400, (answer.status, request.url)
        measured = request.sizes()
        sizes[request.url] = (
            measured["responseHeadersSize"] + measured["responseBodySize"]
        )
    images = [r.url for r in network if r.resource_type == "image"]
    # The demo's kinds of pictures are there: a card's illustration, a face,
    # a coat of arms (the practice's card).
    assert any("/media/images/" in url for url in images), images
    total = sum(sizes.values())
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    (SCREENSHOTS_DIR / f"poids-accueil-{viewport['width']}.json").write_text(
        json.dumps(
            {
                "bytes": total,
                "requests": len(network),
                "lcp": lcp,
                "heaviest": heaviest,
            },
            indent=2,
        )
    )
    assert total < BUDGET, f"{total} bytes; heaviest: {heaviest}"

    # The Largest Contentful Paint: when it is an image, not a lazy one.
    if lcp["tag"] == "img":
        assert lcp["loading"] != "lazy" or lcp["url"] in preloaded, lcp
    for image in first_screen:
        assert image["loading"] != "lazy" or image["src"] in preloaded, image
