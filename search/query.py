"""What a person typed, turned into terms every backend can match.

    'formation "feuille de route" EPCI'
    → clauses: [format], [feuill rout] (a phrase), [epci | intercommunal]

Quotes make a phrase; synonyms of the field (editable by editors) widen a word
or a group of words into its alternatives. Anything else (operators, brackets,
stars, colons, control characters) is ignored rather than interpreted: a search
box is not a query language.
"""

import functools
import itertools
import re
from dataclasses import dataclass, field

from search.analysis import (
    QUESTION_PHRASES,
    QUESTION_WORDS,
    STOP_WORDS,
    stem,
    terms,
    words,
)

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12

# A clause matches when any of its alternatives does; an alternative with several
# terms is a phrase (the terms next to each other, in order).
Alternative = tuple[str, ...]


@dataclass
class ParsedQuery:
    text: str
    clauses: list[list[Alternative]] = field(default_factory=list)
    # The whole query as one phrase, to rank exact phrases above scattered words.
    phrase: Alternative = ()
    # When every word typed is a stop word ("Le Du", a name): those words,
    # folded, looked for as they are in titles.
    names: Alternative = ()
    # None: every clause must match. A number: at least that many clauses
    # must, entries ranked by how many do (relaxed matching).
    minimum: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.names

    @property
    def key(self) -> tuple:
        """What decides the answer (for caches)."""
        return (self.clauses, self.phrase, self.names, self.minimum)

    @property
    def all_terms(self) -> set[str]:
        return {t for clause in self.clauses for alt in clause for t in alt}


def clean_text(text: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def synonym_groups() -> list[list[Alternative]]:
    """Editors' synonyms as groups of analysed alternatives (read at each
    search, so an edit applies at once; analysed once per process for the
    same rows)."""
    from search.models import Synonym

    return [
        list(group)
        for group in _analysed_synonyms(
            tuple(Synonym.objects.values_list("terms", flat=True))
        )
    ]


@functools.lru_cache(maxsize=4)
def _analysed_synonyms(rows: tuple[str, ...]) -> tuple[tuple[Alternative, ...], ...]:
    from search.models import Synonym

    groups = []
    for row in rows:
        group = [tuple(terms(term)) for term in Synonym(terms=row).term_list()]
        group = [alternative for alternative in group if alternative]
        if len(group) > 1:
            groups.append(tuple(group))
    return tuple(groups)


def _expand(words: list[str], groups, compounds=None) -> list[list[Alternative]]:
    """Turn a run of unquoted terms into clauses, widening synonyms (longest
    match first). `compounds`: {position: (size, glued term)} of the words
    typed with a hyphen ("cyber-attaque"), matched as the phrase or glued
    ("cyberattaque")."""
    compounds = compounds or {}
    clauses, index = [], 0
    while index < len(words):
        best = None
        for group in groups:
            for alternative in group:
                size = len(alternative)
                if (
                    size
                    and tuple(words[index : index + size]) == alternative
                    and (best is None or size > best[0])
                ):
                    best = (size, group)
        if best:
            size, group = best
            clauses.append(list(dict.fromkeys(group)))
            index += size
        elif index in compounds:
            size, glued = compounds[index]
            clauses.append([tuple(words[index : index + size]), (glued,)])
            index += size
        else:
            clauses.append([(words[index],)])
            index += 1
    return clauses


def _without_question_words(folded: list[str]) -> list[str]:
    """The words typed without those that only make a question ("comment",
    "faire", "mettre en place"…)."""
    kept, index = [], 0
    while index < len(folded):
        for phrase in QUESTION_PHRASES:
            if tuple(folded[index : index + len(phrase)]) == phrase:
                index += len(phrase)
                break
        else:
            if folded[index] not in QUESTION_WORDS:
                kept.append(folded[index])
            index += 1
    return kept


def _unquoted_terms(text: str, *, drop_questions: bool):
    """Terms of unquoted text, and its compounds {position: (size, glued)}."""
    chunks = [words(chunk) for chunk in text.split()]
    if drop_questions:
        # Across chunks ("mettre en place" is three), then regrouped.
        kept = _without_question_words([w for chunk in chunks for w in chunk])
        flagged = [(n, w) for n, chunk in enumerate(chunks) for w in chunk]
        regrouped, position = [[] for _chunk in chunks], 0
        for number, word in flagged:
            if position < len(kept) and kept[position] == word:
                regrouped[number].append(word)
                position += 1
        chunks = regrouped
    sequence, compounds = [], {}
    for folded in chunks:
        chunk_terms = [stem(w) for w in folded if w not in STOP_WORDS]
        if len(chunk_terms) > 1 and len(folded) == len(chunk_terms):
            glued = stem("".join(folded))
            if glued.isalpha():
                compounds[len(sequence)] = (len(chunk_terms), glued)
        sequence.extend(chunk_terms)
    return sequence, compounds


def parse(text: str, *, groups=None) -> ParsedQuery:
    text = clean_text(text)
    groups = synonym_groups() if groups is None else groups
    parsed = ParsedQuery(text=text)
    sequence = []
    # Question words are left out, unless nothing else was typed.
    unquoted = " ".join(re.split(r'"[^"]*"', text)).replace('"', " ")
    drop_questions = bool(
        [w for w in _without_question_words(words(unquoted)) if w not in STOP_WORDS]
    ) or bool(re.findall(r'"([^"]*)"', text))
    # Split into quoted phrases and the rest; an unbalanced quote is ignored.
    parts = re.split(r'"([^"]*)"', text)
    for position, part in enumerate(parts):
        if position % 2:  # Inside quotes: one phrase clause.
            analysed = terms(part)
            if analysed:
                sequence.extend(analysed)
                parsed.clauses.append([tuple(analysed)])
            continue
        analysed, compounds = _unquoted_terms(
            part.replace('"', " "), drop_questions=drop_questions
        )
        if analysed:
            sequence.extend(analysed)
            parsed.clauses.extend(_expand(analysed, groups, compounds))
    parsed.clauses = parsed.clauses[:MAX_CLAUSES]
    if not parsed.clauses:
        # Only stop words ("Le Du"): a name, looked for as typed.
        parsed.names = tuple(words(text.replace('"', " ")))[:MAX_CLAUSES]
    if len(sequence) > 1:
        parsed.phrase = tuple(sequence[:MAX_CLAUSES])
    return parsed


def fts5_match(clauses: list[list[Alternative]]) -> str:
    """SQLite FTS5 query text. Terms are [0-9a-z] only, so quoting is safe."""

    def alternative(alt: Alternative) -> str:
        return '"' + " ".join(alt) + '"'

    return " AND ".join(
        "(" + " OR ".join(alternative(alt) for alt in clause) + ")"
        for clause in clauses
    )


def tsquery(clauses: list[list[Alternative]]) -> str:
    """PostgreSQL tsquery text for `to_tsquery('simple', …)`."""

    def alternative(alt: Alternative) -> str:
        return "(" + " <-> ".join(alt) + ")"

    return " & ".join(
        "(" + " | ".join(alternative(alt) for alt in clause) + ")" for clause in clauses
    )


def pair_tsquery(phrase: Alternative) -> str:
    """PostgreSQL tsquery (cast, not parsed) of a phrase's adjacent-term pairs,
    the lexemes of `pair_vector`: ("feuill", "rout", "numer") →
    `'feuill_rout' & 'rout_numer'`. Terms are [0-9a-z] only, so quoting is safe."""
    return " & ".join(f"'{a}_{b}'" for a, b in itertools.pairwise(phrase))
