"""French typography of what the site says: no-break spaces before « : ; ? ! »,
inside « guillemets » and before « % », set once in the catalogue."""

import importlib.util
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "check_translations.py"
spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
check_translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_translations)

NBSP = "\u00a0"


def test_punctuation_gets_a_no_break_space():
    typeset = check_translations.french_typography
    assert typeset("Lieu : %(place)s") == f"Lieu{NBSP}: %(place)s"
    assert typeset("Vraiment ? Oui ! Non ; peut-être") == (
        f"Vraiment{NBSP}? Oui{NBSP}! Non{NBSP}; peut-être"
    )
    assert typeset("« Bonjour Prénom, »") == f"«{NBSP}Bonjour Prénom,{NBSP}»"
    assert typeset("50 % des communes") == f"50{NBSP}% des communes"


def test_addresses_and_placeholders_are_left_alone():
    typeset = check_translations.french_typography
    for text in ("https://retex.example.org/?q=1", "%(count)s %(name)s", "<!-- x -->"):
        assert typeset(text) == text


def test_the_catalogue_has_no_breakable_space_before_punctuation():
    po = (Path(settings.BASE_DIR) / "site/locale/fr/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    entries = po.partition("\n\n")[2]
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entries, re.MULTILINE)
    assert translations
    assert [t for t in translations if re.search(r" [:;?!»]|« ", t)] == []


def test_the_site_speaks_with_french_typography():
    with translation.override("fr"):
        assert gettext("Personne à qui écrire : aucun message envoyé.") == (
            f"Personne à qui écrire{NBSP}: aucun message envoyé."
        )
