"""Keep the French catalogue in step with the code.

    python scripts/check_translations.py           # fail if site/locale is out of date
    python scripts/check_translations.py --update  # regenerate it (`make messages`)

Source strings are written in French (the site's only language), so the French
catalogue starts as a copy of them (`msgen`). It is not redundant: it carries the
French plural rule (0 is singular), and wording can be changed there without
touching code. The compiled `.mo` is committed so that a fresh clone shows French
without gettext installed; this check verifies it matches the `.po`.

French typography is applied to the catalogue, not left to each string: a
no-break space (U+00A0) before « : ; ? ! », inside « guillemets » and before
« % », so that a line never breaks between a word and its punctuation, whatever
space the source string has (`french_typography`).

Needs GNU gettext (Debian package `gettext`).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LC_DIR = ROOT / "site" / "locale" / "fr" / "LC_MESSAGES"
PO = LC_DIR / "django.po"
MO = LC_DIR / "django.mo"
HEADER_FIELDS = {
    "Project-Id-Version": "Retex",
    "PO-Revision-Date": "2026-11-22 00:00+0100",
    "Last-Translator": "Retex",
    "Language-Team": "French",
    "Language": "fr",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
}
VOLATILE_HEADERS = ("POT-Creation-Date:", "PO-Revision-Date:")


def run(*args: str) -> None:
    subprocess.run(args, cwd=ROOT, check=True)  # noqa: S603


def update() -> None:
    run(
        sys.executable,
        "manage.py",
        "makemessages",
        "--locale=fr",
        "--no-location",
        "--no-obsolete",
        "--ignore=var/*",
        "--ignore=tests/*",
        "--ignore=build/*",
        "--verbosity=0",
    )
    # msgmerge guesses "fuzzy" translations from similar strings ("Format" from
    # "Formation"): drop those guesses, then fill every untranslated entry with its
    # (French) source string.
    run(
        "msgattrib",
        "--clear-fuzzy",
        "--empty",
        "--no-wrap",
        "--output-file",
        str(PO),
        str(PO),
    )
    run("msgattrib", "--no-obsolete", "--no-wrap", "--output-file", str(PO), str(PO))
    run("msgen", "--no-wrap", "--output-file", str(PO), str(PO))
    # makemessages writes a template header; give it the catalogue's real one,
    # with the French plural rule, and unmark it fuzzy so msgfmt uses it.
    text = PO.read_text(encoding="utf-8")
    for placeholder, value in HEADER_FIELDS.items():
        text = re.sub(
            rf'^"{placeholder}: .*\\n"$',
            f'"{placeholder}: {value}\\\\n"',
            text,
            count=1,
            flags=re.MULTILINE,
        )
    text = re.sub(r"\A(#.*\n)*#, fuzzy\n", "", text)
    # The "previous msgid" comments msgmerge leaves are noise once cleared.
    text = re.sub(r"^#\| .*\n", "", text, flags=re.MULTILINE)
    # The header (the first msgstr) holds no sentence: typeset the rest.
    header, separator, entries = text.partition("\n\n")
    text = header + separator + typeset_translations(entries)
    PO.write_text(text, encoding="utf-8")
    run("msgfmt", "--check", "--output-file", str(MO), str(PO))


NBSP = "\u00a0"
# A plain space (or none, for « and ») where French puts a no-break space. Not
# touched: "%(name)s" placeholders, "://" in addresses, "!" or "?" glued to a
# word (URLs, HTML comments), which have no space to replace.
_TYPOGRAPHY = (
    (re.compile(r" +([:;?!»])"), NBSP + r"\1"),
    (re.compile(r"« +"), "«" + NBSP),
    (re.compile(r"(?<=\d) %(?![(a-z])"), NBSP + "%"),
)


def french_typography(text: str) -> str:
    """`text` (a translation) with no-break spaces where French wants them."""
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    return text


def typeset_translations(po_text: str) -> str:
    """Apply `french_typography` to every msgstr of a catalogue (continuation
    lines included); msgids are left as the code has them."""
    lines, in_msgstr = [], False
    for line in po_text.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr and line.rstrip("\n") != 'msgstr ""':
            head, quote, body = line.partition('"')
            line = head + quote + french_typography(body)
        lines.append(line)
    return "".join(lines)


def stable_lines(text: str) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if not line.startswith(tuple(f'"{header}' for header in VOLATILE_HEADERS))
    ]


def check() -> int:
    old_po = PO.read_bytes() if PO.exists() else b""
    old_mo = MO.read_bytes() if MO.exists() else b""
    try:
        update()
        new_po = PO.read_text(encoding="utf-8")
    finally:
        PO.write_bytes(old_po)
        MO.write_bytes(old_mo)
    if stable_lines(new_po) != stable_lines(old_po.decode("utf-8")):
        sys.stderr.write(
            "The French catalogue is out of date: run `make messages` and commit "
            "site/locale/.\n"
        )
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        compiled = Path(tmp) / "django.mo"
        run("msgfmt", "--check", "--output-file", str(compiled), str(PO))
        if compiled.read_bytes() != old_mo:
            sys.stderr.write(
                "site/locale/fr/LC_MESSAGES/django.mo does not match django.po: "
                "run `make messages` and commit it.\n"
            )
            return 1
    sys.stdout.write("French catalogue up to date.\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update", action="store_true", help="regenerate the catalogue"
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retex.settings")
    if options.update:
        update()
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
