"""What axe-core cannot check on its own, checked in the browser on every page type:
one h1 and a heading outline without jumps, the French language, labelled fields
whose errors are linked to them, a visible focus, links that do not rely on colour,
and pages usable at 200 % zoom."""

import itertools

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.page_types import build_site, logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Headings a screen reader announces (hidden ones excluded, visually-hidden kept).
HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.getClientRects().length || h.closest('.visually-hidden'))
    .filter(h => !h.closest('[aria-hidden=true], [hidden]'))
    .map(h => ({level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60)}))"""

UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(f => !['hidden', 'submit', 'button', 'reset', 'image'].includes(f.type))
    .filter(f => f.getClientRects().length)
    .filter(f => {
        const labelled = f.labels.length && [...f.labels].some(l => l.textContent.trim());
        const named = (f.getAttribute('aria-label') || '').trim();
        const byIds = (f.getAttribute('aria-labelledby') || '').split(/\\s+/)
            .some(id => id && document.getElementById(id)?.textContent.trim());
        return !(labelled || named || byIds);
    })
    .map(f => f.outerHTML.slice(0, 120))"""

# Every message that reports an error on a field must be in the aria-describedby
# of an invalid field (a non-field error, about the whole form, is exempt).
UNLINKED_ERRORS = """() => {
    const messages = [...document.querySelectorAll(
        'main .errorlist:not(.nonfield), main .field-error, main .field__error')]
        .filter(m => m.textContent.trim());
    const described = new Map();
    for (const field of document.querySelectorAll('[aria-describedby]')) {
        for (const id of field.getAttribute('aria-describedby').split(/\\s+/)) {
            described.set(id, field);
        }
    }
    const problems = [];
    for (const message of messages) {
        const field = message.id && described.get(message.id);
        if (!field) problems.push('not linked: ' + message.textContent.trim());
        else if (field.getAttribute('aria-invalid') !== 'true')
            problems.push('field not marked invalid: ' + (field.name || field.id));
    }
    return {count: messages.length, problems};
}"""

# The ring may be drawn on the element or on the box it stands for (a whole card
# for its title link): the element and a few ancestors are compared.
FOCUS_STYLE = """el => {
    const styles = [];
    for (let node = el, depth = 0; node && depth < 4; node = node.parentElement, depth++) {
        const s = getComputedStyle(node);
        styles.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
                     s.backgroundColor, s.color, s.textDecorationLine,
                     s.textDecorationThickness].join('|'));
    }
    return styles.join(' / ');
}"""

# Links inside running text (a paragraph or list item with other words around).
UNDISTINGUISHED_LINKS = """() => [...document.querySelectorAll('main a[href]')]
    .filter(a => a.getClientRects().length)
    .filter(a => {
        const block = a.closest('p, li, dd, td');
        if (!block || a.closest('nav, h1, h2, h3, h4, h5, h6')) return false;
        const around = block.textContent.replace(a.textContent, '').trim();
        return around.replace(/[\\s·,.:;()\\u2014\\u2013-]/g, '').length > 0;
    })
    .filter(a => {
        const s = getComputedStyle(a);
        const underlined = s.textDecorationLine.includes('underline');
        const bordered = parseFloat(s.borderBottomWidth) > 0
            && s.borderBottomStyle !== 'none';
        const button = a.classList.contains('button') || a.classList.contains('tag');
        return !(underlined || bordered || button);
    })
    .map(a => a.outerHTML.slice(0, 120))"""

HORIZONTAL_OVERFLOW = (
    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
)


@pytest.fixture
def site():
    return build_site()


@pytest.fixture
def visit(new_page, live_server, site):
    """Open each page type, as a visitor or as a member, on a given screen."""

    def pages(**screen):
        visitor = new_page(**screen)
        member = logged_in(new_page(**screen), site.member.user, live_server.url)
        for page_type in site.pages:
            page = member if page_type.member else visitor
            page.goto(page_type.path)
            yield page_type, page

    return pages


def test_every_page_is_in_french_with_one_h1_and_no_jump_in_headings(visit):
    problems = []
    for page_type, page in visit():
        if page.evaluate("document.documentElement.lang") != "fr":
            problems.append(f"{page_type.name}: <html> has no lang=fr")
        headings = page.evaluate(HEADINGS)
        h1 = [h for h in headings if h["level"] == 1]
        if len(h1) != 1:
            problems.append(f"{page_type.name}: {len(h1)} h1 ({h1})")
        for before, after in itertools.pairwise(headings):
            if after["level"] > before["level"] + 1:
                problems.append(
                    f"{page_type.name}: h{before['level']} « {before['text']} » "
                    f"then h{after['level']} « {after['text']} »"
                )
    assert not problems, "\n".join(problems)


def test_every_visible_field_has_a_label(visit):
    problems = []
    for page_type, page in visit():
        for field in page.evaluate(UNLABELLED_FIELDS):
            problems.append(f"{page_type.name}: {field}")
    assert not problems, "\n".join(problems)


def test_links_in_running_text_do_not_rely_on_colour_alone(visit):
    problems = []
    for page_type, page in visit():
        for link in page.evaluate(UNDISTINGUISHED_LINKS):
            problems.append(f"{page_type.name}: {link}")
    assert not problems, "\n".join(problems)


def test_pages_fit_the_screen_at_200_percent_zoom(visit):
    """A 1280 px wide screen zoomed to 200 % lays pages out in 640 CSS pixels."""
    problems = []
    for page_type, page in visit(viewport={"width": 640, "height": 450}, scale=2):
        overflow = page.evaluate(HORIZONTAL_OVERFLOW)
        if overflow > 0:
            problems.append(f"{page_type.name}: scrolls {overflow}px sideways")
    assert not problems, "\n".join(problems)


def test_the_keyboard_focus_is_visible_on_links_and_buttons(visit):
    """Tab through the first stops of each page: each focused link or button must
    look different from the same element without the focus."""
    problems = []
    for page_type, page in visit(viewport=DESKTOP):
        for _ in range(25):
            page.keyboard.press("Tab")
            element = page.evaluate_handle("document.activeElement")
            if element.evaluate("el => !el.matches('a[href], button')"):
                continue
            focused = element.evaluate(FOCUS_STYLE)
            described = element.evaluate("el => el.outerHTML.slice(0, 100)")
            # The same element without the focus; then give the focus back, so
            # that the next Tab goes on from there.
            element.evaluate("el => el.blur()")
            at_rest = element.evaluate(FOCUS_STYLE)
            element.evaluate("el => el.focus()")
            if focused == at_rest:
                problems.append(f"{page_type.name}: no visible focus on {described}")
    assert not problems, "\n".join(problems)


INVALID_FORMS = [
    # (who, address, fields to fill, button)
    (
        "visitor",
        "/accounts/signup/",
        {"E-mail": "pas-une-adresse", "Mot de passe :": "court"},
        "Création de compte",
    ),
    ("visitor", "/accounts/password/reset/", {"E-mail": "pas-une-adresse"}, None),
    # A collectivity chosen from the search, then a message over its limit.
    (
        "newcomer",
        "/mon-espace/rattachement/?collectivite={bellerive}",
        {"Message aux représentants": "x" * 1001},
        None,
    ),
    ("member", "/mon-espace/profil/", {"Téléphone": "appelez-moi"}, None),
    ("member", "/mon-espace/supprimer-mon-compte/", {"Pour confirmer": "non"}, None),
]
INVALID_FILTERS = [
    "/ressources/?theme=inconnu&year=1800",
    "/membres/?theme=inconnu&region=ZZ",
    "/evenements/?month=bientot&kind=inconnu",
    "/recherche/?q=" + "x" * 300,
]


def test_errors_of_an_invalid_form_are_linked_to_their_fields(
    new_page, live_server, site
):
    people = {"member": site.member.user, "newcomer": site.newcomer.user}
    problems = []
    for who, path, values, button in INVALID_FORMS:
        page = new_page()
        if who in people:
            logged_in(page, people[who], live_server.url)
        page.goto(path.format(bellerive=site.content.bellerive.pk))
        form = (
            page.locator("main form")
            .filter(has=page.locator("input, select, textarea"))
            .last
        )
        # The server's own checks: the browser's (required, maxlength) are off.
        form.evaluate(
            "f => { f.setAttribute('novalidate', '');"
            " f.querySelectorAll('[maxlength]')"
            ".forEach(e => e.removeAttribute('maxlength')); }"
        )
        for label, value in values.items():
            form.get_by_label(label).first.fill(value)
        submit = (
            form.get_by_role("button", name=button)
            if button
            else form.locator("button[type=submit], button:not([type])").last
        )
        submit.click()
        page.wait_for_load_state()
        checked = page.evaluate(UNLINKED_ERRORS)
        if not checked["count"]:
            problems.append(f"{path}: no error shown for an invalid form")
        problems += [f"{path}: {problem}" for problem in checked["problems"]]
    for path in INVALID_FILTERS:
        page = new_page()
        page.goto(path)
        checked = page.evaluate(UNLINKED_ERRORS)
        if not checked["count"]:
            problems.append(f"{path}: no error shown for an invalid filter")
        problems += [f"{path}: {problem}" for problem in checked["problems"]]
    assert not problems, "\n".join(problems)
