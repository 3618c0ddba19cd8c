"""axe-core on every page type: no violation of impact "serious" or "critical".

axe-core comes from npm (`npm ci` installs the version pinned in package.json)
and is injected into each page by the test, never served by the site.
"""

import json

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.page_types import build_site, logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = ("serious", "critical")


def axe_violations(page, axe_source: str) -> list[dict]:
    """Run axe-core in the page (evaluated by Playwright, so the site's CSP, which
    forbids inline scripts, does not stop it)."""
    page.evaluate(axe_source)
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def report(failures: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in failures.items():
        for violation in violations:
            lines.append(
                f"{where}: [{violation['impact']}] {violation['id']}: "
                f"{violation['help']} ({violation['helpUrl']})"
            )
            for node in violation["nodes"][:10]:
                lines.append(f"    {json.dumps(node['target'])}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["ecran", "360px"])
def test_no_serious_or_critical_axe_violation_on_any_page_type(
    new_page, live_server, serve_media, axe_source, viewport
):
    site = build_site()
    visitor = new_page(viewport=viewport)
    member = logged_in(new_page(viewport=viewport), site.member.user, live_server.url)
    failures = {}
    for page_type in site.pages:
        page = member if page_type.member else visitor
        page.goto(page_type.path)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[f"{page_type.name} ({page_type.path})"] = violations
    assert not failures, "axe-core found blocking violations:\n" + report(failures)
