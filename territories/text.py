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
