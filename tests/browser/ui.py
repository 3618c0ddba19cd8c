"""How a person uses the site in a journey: mouse, keyboard only, or a phone.

A journey is written once against `Ui`; each mode acts differently:

- "souris": a desktop browser, clicks and typing;
- "clavier": the same screen with the keyboard only: focus moves with Tab and
  Shift+Tab (never a click, never a programmatic focus), links and buttons are
  activated with Enter, boxes ticked with Space, lists changed with the arrows;
- "mobile": a 360 px wide touch screen, tapping; every public page must fit its
  width (no horizontal scrolling);
- "sans-javascript": the mouse with JavaScript turned off, for the public and
  newcomer journeys, which must not need it.

Each step is saved as `var/screenshots/<journey>-<mode>/<NN-step>.png`.
"""

import re
import shutil
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR

MODES = ("souris", "clavier", "mobile")
# The public site's journeys also run without JavaScript (the admin needs it).
PUBLIC_MODES = (*MODES, "sans-javascript")
TAB_LIMIT = 400

FOCUS_IS_INSIDE = (
    "el => el === document.activeElement || el.contains(document.activeElement)"
)
FOCUS_IS_BEFORE = """el => {
    const active = document.activeElement;
    if (!active || active === document.body) return true;
    return Boolean(active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""
LEADS_TO_A_PAGE = """el => {
    if (el.matches("a[href]")) {
        const href = el.getAttribute("href");
        return !el.hasAttribute("download") && !href.startsWith("#")
            && !href.startsWith("webcal:") && !href.startsWith("mailto:");
    }
    return el.matches("button[type=submit], button:not([type]), input[type=submit]")
        && Boolean(el.form);
}"""
HORIZONTAL_OVERFLOW = (
    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
)


def open_for_mode(new_page, mode: str, **options) -> Page:
    if mode == "mobile":
        return new_page(viewport=PHONE, scale=2, touch=True, **options)
    if mode == "sans-javascript":
        return new_page(viewport=DESKTOP, javascript=False, **options)
    return new_page(viewport=DESKTOP, **options)


class Ui:
    def __init__(self, page: Page, mode: str, journey: str):
        assert mode in PUBLIC_MODES, mode
        self.page = page
        self.mode = mode
        self.keyboard_only = mode == "clavier"
        self.folder = Path(SCREENSHOTS_DIR) / f"{journey}-{mode}"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._shared = {"steps": 0}

    def with_page(self, page: Page) -> "Ui":
        """Another person of the same journey, in their own browser: the
        screenshots go on in the same folder and sequence."""
        other = object.__new__(Ui)
        other.__dict__.update(self.__dict__)
        other.page = page
        other._shared = self._shared
        return other

    # --- Where we are -------------------------------------------------------------

    def go(self, path: str):
        """Type an address (or open a link from an email)."""
        self.page.goto(path)

    def step(self, name: str):
        """A screenshot of the step; on a phone, the page must fit the screen."""
        self._shared["steps"] += 1
        number = self._shared["steps"]
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(
            path=self.folder / f"{number:02d}-{slug}.png", full_page=True
        )
        if self.mode == "mobile" and not self.page.url.split("/", 3)[-1].startswith(
            "admin/"
        ):
            overflow = self.page.evaluate(HORIZONTAL_OVERFLOW)
            assert overflow <= 0, (
                f"{self.page.url} scrolls horizontally by {overflow}px at 360px"
            )

    # --- Acting -------------------------------------------------------------------

    def activate(self, target: Locator, *, navigates: bool | None = None):
        """Follow a link or press a button; wait for the next page if it leads to one.

        `navigates` is guessed from the element (a link to another address, a
        submit button) unless given.
        """
        if navigates is None:
            navigates = target.evaluate(LEADS_TO_A_PAGE)
        if navigates:
            with self.page.expect_navigation():
                self._press(target)
        else:
            self._press(target)

    def _press(self, target: Locator):
        if self.keyboard_only:
            self.tab_to(target)
            self.page.keyboard.press("Enter")
        elif self.mode == "mobile":
            target.tap()
        else:
            target.click()

    def fill(self, field: Locator, text: str):
        if self.keyboard_only:
            self.tab_to(field)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
        else:
            field.fill(text)

    def pick(self, option: Locator):
        """Pick an option of an open combobox (a list that filters as you type).

        With the keyboard: Tab to the combobox's text field, type the option's
        name to filter the list, go down to it with the arrow, Enter.
        """
        if self.keyboard_only:
            listbox = option.evaluate("el => el.closest('[role=listbox]').id")
            self.tab_to(
                self.page.locator(f"[role=combobox][aria-controls='{listbox}']")
            )
            self.page.keyboard.type(option.inner_text().strip())
            for _ in range(TAB_LIMIT):
                if option.get_attribute("aria-selected") == "true":
                    break
                self.page.keyboard.press("ArrowDown")
            expect(option).to_have_attribute("aria-selected", "true")
            self.page.keyboard.press("Enter")
        elif self.mode == "mobile":
            option.tap()
        else:
            option.click()
        expect(option).to_be_hidden()

    def write(self, editor: Locator, text: str):
        """Type at the end of a rich text editor (Wagtail's Draftail)."""
        if self.keyboard_only:
            self.tab_to(editor)
        elif self.mode == "mobile":
            editor.tap()
        else:
            editor.click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.type(text)
        expect(editor).to_contain_text(text)
        # Draftail copies its content into the form's hidden field at most every
        # 250 ms: a person takes longer than that to reach the next field, a
        # driven browser may submit the form before.
        self.page.wait_for_function(
            "text => [...document.querySelectorAll('input[type=hidden]')]"
            ".some(input => input.value.includes(text))",
            arg=text,
        )

    def choose(self, select: Locator, label: str):
        """Pick the option of a <select> whose visible text starts with `label`."""
        labels = [text.strip() for text in select.locator("option").all_inner_texts()]
        matching = [i for i, text in enumerate(labels) if text.startswith(label)]
        assert matching, f"no option {label!r} in {labels}"
        wanted = matching[0]
        if self.keyboard_only:
            self.tab_to(select)
            current = select.evaluate("el => el.selectedIndex")
            key = "ArrowDown" if wanted > current else "ArrowUp"
            for _ in range(abs(wanted - current)):
                self.page.keyboard.press(key)
        else:
            select.select_option(index=wanted)
        assert select.evaluate("el => el.selectedIndex") == wanted

    def tick(self, box: Locator):
        if self.keyboard_only:
            self.tab_to(box)
            self.page.keyboard.press("Space")
        else:
            box.check()
        expect(box).to_be_checked()

    def tab_to(self, target: Locator):
        """Move the focus to `target` with Tab (or Shift+Tab) only."""
        target.wait_for(state="attached")
        handle = target.element_handle()
        if handle.evaluate(FOCUS_IS_INSIDE):
            return
        forward = handle.evaluate(FOCUS_IS_BEFORE)
        for key in ("Tab", "Shift+Tab") if forward else ("Shift+Tab", "Tab"):
            for _ in range(TAB_LIMIT):
                self.page.keyboard.press(key)
                if handle.evaluate(FOCUS_IS_INSIDE):
                    return
        raise AssertionError(f"the keyboard cannot reach {target}")
