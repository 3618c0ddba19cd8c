"""What a person typed, turned into terms every backend can match.

    'formation "feuille de route" EPCI'
    → clauses: [format], [feuill rout] (a phrase), [epci | intercommunal]

Quotes make a phrase; synonyms of the field (editable by editors) widen a word
or a group of words into its alternatives. Anything else (operators, brackets,
stars, colons, control characters) is ignored rather than interpreted: a search
box is not a query language.
"""

import itertools
import re
from dataclasses import dataclass, field

from search.analysis import terms

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

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def all_terms(self) -> set[str]:
        return {t for clause in self.clauses for alt in clause for t in alt}


def clean_text(text: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def synonym_groups() -> list[list[Alternative]]:
    """Editors' synonyms as groups of analysed alternatives."""
    from search.models import Synonym

    groups = []
    for synonym in Synonym.objects.all():
        group = [tuple(terms(term)) for term in synonym.term_list()]
        group = [alternative for alternative in group if alternative]
        if len(group) > 1:
            groups.append(group)
    return groups


def _expand(words: list[str], groups) -> list[list[Alternative]]:
    """Turn a run of unquoted terms into clauses, widening synonyms (longest
    match first)."""
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
        else:
            clauses.append([(words[index],)])
            index += 1
    return clauses


def parse(text: str, *, groups=None) -> ParsedQuery:
    text = clean_text(text)
    groups = synonym_groups() if groups is None else groups
    parsed = ParsedQuery(text=text)
    sequence = []
    # Split into quoted phrases and the rest; an unbalanced quote is ignored.
    parts = re.split(r'"([^"]*)"', text)
    for position, part in enumerate(parts):
        analysed = terms(part.replace('"', " "))
        if not analysed:
            continue
        sequence.extend(analysed)
        if position % 2:  # Inside quotes: one phrase clause.
            parsed.clauses.append([tuple(analysed)])
        else:
            parsed.clauses.extend(_expand(analysed, groups))
    parsed.clauses = parsed.clauses[:MAX_CLAUSES]
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
