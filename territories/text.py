"""Name normalisation shared by the stored `search_name` columns and the queries.

"Saint-Malo", "SAINT MALO", "saint malo" and "St Malo" all become "saint malo";
"Gérardmer" becomes "gerardmer", "L'Haÿ-les-Roses" becomes "l hay les roses".
"""

import re
import unicodedata

# Ligatures NFKD leaves alone.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Official names spell "Saint" out; people type "St".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize_name(value: str) -> str:
    """Lowercase, without accents, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    words = _NOT_WORD.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


# --- Articles before a collectivity's name -----------------------------------------

# A name that starts with a common noun takes its article: « la Ville de Lyon »,
# « le Département du Nord », « l'Eurométropole de Strasbourg »; a proper name
# takes none: « Brest métropole », « Angers Loire Métropole ».
_FEMININE = {
    "agglomeration",
    "collectivite",
    "commune",
    "communaute",
    "eurometropole",
    "intercommunalite",
    "metropole",
    "mairie",
    "prefecture",
    "region",
    "ville",
}
_MASCULINE = {
    "centre",
    "conseil",
    "departement",
    "etablissement",
    "groupement",
    "office",
    "pays",
    "pole",
    "syndicat",
}
_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")


def _starts_with_vowel(word: str) -> bool:
    return bool(word) and word[0].lower() in _VOWELS


def with_article(name: str, preposition: str = "de") -> str:
    """`name` after « de » or « à », with its article contracted the French way:

    « de la Ville de Lyon », « du Département du Nord », « de l'Eurométropole de
    Strasbourg », « de Brest métropole », « d'Angers Loire Métropole », « du
    Havre » (Le Havre), « des Sables-d'Olonne » (Les Sables-d'Olonne); « à la
    Communauté d'agglomération… », « au Département… », « à Brest métropole ».
    """
    name = " ".join(str(name).split())
    if not name:
        return ""
    first, _space, rest = name.partition(" ")
    key = normalize_name(first)
    if preposition == "à":
        by_article = {"la": "à la ", "le": "au ", "l'": "à l'", "les": "aux "}
        bare = "à "
    else:
        by_article = {"la": "de la ", "le": "du ", "l'": "de l'", "les": "des "}
        bare = "d'" if _starts_with_vowel(name) else "de "
    if key in _FEMININE or key in _MASCULINE:
        if _starts_with_vowel(first):
            return by_article["l'"] + name
        return by_article["la" if key in _FEMININE else "le"] + name
    # Proper names starting with Le / Les contract (« du Havre », « aux Sables »);
    # La and L' stay as written (« de La Rochelle », « de L'Haÿ-les-Roses »).
    if rest and first in {"Le", "Les"}:
        return by_article[first.lower()] + rest
    return bare + name
