"""French text analysis, done in Python so that every backend answers the same.

SQLite FTS5 has no French stemming and PostgreSQL's `french` configuration does
not fold accents; rather than depend on either, documents and queries go through
the same steps here, and the databases only match the resulting terms:

    "L'inclusion des élus, feuilles de route numériques"
    → ["inclus", "elu", "feuill", "rout", "numer"]

1. Unicode normalisation, lower case, accents folded ("élus" → "elus").
2. Elision removed ("l'inclusion" → "inclusion", "qu'il" → "il").
3. Words split on anything that is not a letter or digit ("tiers-lieux" gives
   "tiers" and "lieux", next to each other so a phrase query still matches).
4. French stop words dropped ("de", "la", "les", "des"…).
5. A light plural rule, then the Snowball French stemmer ("horodateurs" →
   "horod", "élu" and "élus" → "elu").

Elasticsearch is given the equivalent analyzer (elision, lowercase,
asciifolding, French stop words, French stemmer) in its index settings.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# The elided articles and pronouns that precede an apostrophe in French.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"}

# French stop words, accents folded (from the Snowball French list, shortened to
# words that never carry meaning in a search).
_STOP_WORDS_TEXT = """
    a ai au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le
    les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas
    pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y
    est sont ete etre avoir ont
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Typographic apostrophes (U+2019, U+02BC), grave and acute accents used as one.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u02bc`\u00b4", "'"))
_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)?")
_stemmer = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lower case without accents or ligatures: "Œuvre Élue" → "oeuvre elue"."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    text = text.replace("œ", "oe").replace("æ", "ae")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words with their elision removed, stop words kept."""
    result = []
    for token in _WORD.findall(fold(text)):
        if "'" in token:
            head, tail = token.split("'", 1)
            token = tail if head in ELISIONS else head + tail
        result.append(token)
    return result


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The searchable terms of a text, in order (stop words removed)."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


# Words that make a question, not its subject: left out of the words searched
# (never of the text indexed) unless nothing else was typed. Folded.
_QUESTION_WORDS_TEXT = """
    comment quoi quel quelle quels quelles quand pourquoi combien lequel laquelle
    faire fait font faut falloir peut peux peuvent pouvoir doit dois doivent devoir
    existe exister ca cela ceci t etc
"""
QUESTION_WORDS = frozenset(_QUESTION_WORDS_TEXT.split())
# Light verbal phrases left out the same way (as folded word sequences).
QUESTION_PHRASES = (
    ("mettre", "en", "place"),
    ("mise", "en", "place"),
    ("en", "cas"),
)

_SURFACE = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def surface_words(text: str) -> list[tuple[str, str]]:
    """(folded word, the word as written in lower case) for each word of a text,
    elision removed: "L'Économie" → [("economie", "économie")]."""
    result = []
    for token in _SURFACE.findall(text.translate(_APOSTROPHES).lower()):
        if "'" in token:
            head, tail = token.split("'", 1)
            token = tail if fold(head) in ELISIONS else head + tail
        for folded in words(token):
            result.append((folded, token if len(words(token)) == 1 else folded))
    return result


def terms_text(text: str) -> str:
    """Terms joined by spaces: what the database stores and indexes."""
    return " ".join(terms(text))
