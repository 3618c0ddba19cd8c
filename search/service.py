"""Search as the site uses it: the page, the API and the suggestions call these.

The backend is the database unless `ELASTICSEARCH_URL` is set; when
Elasticsearch fails, the same search is answered from the database and the
failure is logged, never shown.

Snippets: Elasticsearch's highlighted fragment when it sent one, escaped again
here (`highlighted`); otherwise one built from the entry (`snippet`), as the
database backend always gets.
"""

import bisect
import functools
import html
import itertools
import logging
import math
import re
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from search import cache as search_cache
from search import vocabulary
from search.analysis import fold, stem, terms, words
from search.backends.database import DatabaseBackend
from search.cache import SearchAnswer
from search.documents import KIND_LABELS, MEMBERS, PUBLIC
from search.models import SearchEntry, SearchQueryStat
from search.query import ParsedQuery, clean_text, parse

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_PAGE = 100
SNIPPET_WORDS = 30


@dataclass
class SearchPage:
    query: ParsedQuery
    count: int = 0
    results: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    page: int = 1
    page_size: int = PAGE_SIZE
    # The corrected query ("cybersécurité" for "cybersécurté"): the one the
    # results are for when `corrected`, else one offered when few were found.
    correction: str | None = None
    corrected: bool = False
    # The results match only some of the words (none matched them all).
    relaxed: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))


def visibilities_for(user) -> tuple[str, ...]:
    from retex.visibility import sees_members_content

    return (PUBLIC, MEMBERS) if sees_members_content(user) else (PUBLIC,)


def database_backend() -> DatabaseBackend:
    return DatabaseBackend()


def backend():
    if getattr(settings, "ELASTICSEARCH_URL", None):
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    return database_backend()


def search(
    *, text: str, user, filters=None, sort="relevance", page=1, exact=False
) -> SearchPage:
    """`exact`: the words as typed, never corrected nor relaxed (the result
    page's « rechercher exactement » link after a correction)."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    query = parse(text)
    page = min(max(1, page), MAX_PAGE)
    result = SearchPage(query=query, page=page)
    if query.is_empty:
        return result
    arguments = {
        "filters": filters,
        "visibilities": visibilities_for(user),
        "sort": sort,
        "offset": (page - 1) * PAGE_SIZE,
        "limit": PAGE_SIZE,
    }
    engine = backend()
    if query.names:
        # Stop words only (a name such as "Le Du"): the database looks for them.
        engine = database_backend()
    # Whole pages of results (snippets included) are cached until the index
    # changes; an answer from the fallback is not. The vocabulary (corrections,
    # compound splits) changes with the index too.
    key = (
        "results",
        engine.name,
        query.key,
        exact,
        sorted(filters.items()),
        *(arguments[name] for name in ("visibilities", "sort", "offset", "limit")),
    )
    try:
        steps = _exact_steps if exact else _steps
        outcome = search_cache.cached(
            (*key, exact), lambda: steps(engine, query, arguments)
        )
    except Exception:
        if isinstance(engine, DatabaseBackend):
            raise
        logger.exception("Elasticsearch failed; answering from the database")
        outcome = steps(database_backend(), query, arguments)
    (
        result.count,
        result.facets,
        result.results,
        result.correction,
        result.corrected,
        result.relaxed,
    ) = outcome
    return result


# Fewer results than this and the search tries harder: a correction is looked
# for (offered), and entries matching only some of the words are added.
LITTLE = 3
# The towns a typed postcode stands for, at most (the most populated first).
MAX_TOWNS = 5


def minimum_should_match(clauses: int) -> int:
    """How many of a relaxed query's clauses an entry must match: 1 of 2, 2 of
    3 or 4, then half."""
    if clauses <= 2:
        return 1
    if clauses <= 4:
        return 2
    return math.ceil(clauses / 2)


def _exact_steps(engine, query: ParsedQuery, arguments: dict) -> tuple:
    """A search for the words as typed only (no correction, no relaxing)."""
    return (*_answer(engine, query, arguments), None, False, False)


def _steps(engine, query: ParsedQuery, arguments: dict, *, exact=False) -> tuple:
    """(count, facets, results, correction, corrected, relaxed) of a search:
    the words as typed (glued compounds split when the index only has them
    apart), then, when that finds nothing, the corrected words, and when still
    nothing or little, entries matching only some of the words."""
    visibilities = arguments["visibilities"]
    query = with_compounds(query, visibilities)
    count, facets, results = _answer(engine, query, arguments)
    if not count:
        placed = with_places(query)
        if placed is not query:
            answer = _answer(engine, placed, arguments)
            if answer[0]:
                (count, facets, results), query = answer, placed
    correction, corrected, relaxed = None, False, False
    if count >= LITTLE or query.names:
        return count, facets, results, correction, corrected, relaxed
    if not exact:
        correction = corrected_text(query, visibilities, rare=count > 0)
    best = query
    if correction and count == 0:
        fixed = with_compounds(parse(correction), visibilities)
        answer = _answer(engine, fixed, arguments)
        if answer[0]:
            count, facets, results = answer
            corrected = True
        best = fixed
    if count < LITTLE and len(best.clauses) >= 2:
        loose = replace(best, minimum=minimum_should_match(len(best.clauses)))
        answer = _answer(engine, loose, arguments)
        if answer[0] > count:
            count, facets, results = answer
            relaxed = True
            corrected = corrected or best is not query
    if correction and not corrected and count == 0:
        correction = None
    return count, facets, results, correction, corrected, relaxed


def _typed_words(query: ParsedQuery) -> dict[str, str]:
    """{term: folded word} of the query's single-word clauses (no synonym)."""
    by_term = {stem(word): word for word in words(query.text)}
    return {
        clause[0][0]: by_term[clause[0][0]]
        for clause in query.clauses
        if len(clause) == 1 and len(clause[0]) == 1 and clause[0][0] in by_term
    }


def with_compounds(query: ParsedQuery, visibilities) -> ParsedQuery:
    """A word the index does not know, typed glued ("visioguichet"), also
    matches its two known halves as a phrase ("visio-guichet")."""
    typed = _typed_words(query)
    if not typed:
        return query
    unknown = set(typed) - vocabulary.known_terms(typed, visibilities)
    clauses = []
    for clause in query.clauses:
        term = clause[0][0] if len(clause) == 1 and len(clause[0]) == 1 else None
        halves = term in unknown and vocabulary.split(typed[term], visibilities)
        if halves:
            clause = [*clause, tuple(stem(half) for half in halves)]
        clauses.append(clause)
    return replace(query, clauses=clauses)


def with_places(query: ParsedQuery) -> ParsedQuery:
    """A typed postcode the index does not hold (« 33000 »: the pages say
    « 33300 » or « Bordeaux ») also matches the name of its towns, from the
    official referential (`search.places.postcode_place`)."""
    from search.places import POSTCODE_RE, postcode_place

    clauses, changed = [], False
    for clause in query.clauses:
        term = clause[0][0] if len(clause) == 1 and len(clause[0]) == 1 else None
        place = term and POSTCODE_RE.fullmatch(term) and postcode_place(term)
        if place:
            towns = {tuple(terms(town)) for town in place.towns[:MAX_TOWNS]}
            clause = [*clause, *sorted(town for town in towns if town)]
            changed = True
        clauses.append(clause)
    return replace(query, clauses=clauses) if changed else query


_TYPED_WORD = re.compile(r"[^\W_]+")


def corrected_text(query: ParsedQuery, visibilities, *, rare=False) -> str | None:
    """The query as typed with each unknown word (with `rare`, also a word in
    very few entries next to a far more frequent one) replaced by the nearest
    word of the index's vocabulary the person may see; None when none is."""
    typed = _typed_words(query)
    if not typed:
        return None
    counts = vocabulary.frequencies(typed, visibilities)
    replacements = {}
    for term, word in typed.items():
        found = counts.get(term, 0)
        if found and not (rare and found <= 1):
            continue
        nearest = vocabulary.correction(word, visibilities, skip=word)
        if nearest is None:
            continue
        if found and vocabulary.frequencies([stem(nearest[0])], visibilities).get(
            stem(nearest[0]), 0
        ) < max(3, 5 * found):
            continue
        replacements[word] = nearest[1]
    if not replacements:
        return None

    def swap(match):
        return replacements.get(fold(match.group()), match.group())

    return _TYPED_WORD.sub(swap, query.text)


def _answer(engine, query: ParsedQuery, arguments: dict) -> tuple[int, dict, list]:
    """The count, facets and results (as shown) of one page of a search."""
    # `SearchAnswer(*…)`: also takes a backend's plain (ids, count, facets).
    answer = SearchAnswer(*engine.search(query, **arguments))
    # The database backend answers primary keys, Elasticsearch entry keys.
    field_name = getattr(engine, "result_field", "pk")
    # The database entries are the reference: visibility is checked again, and
    # an Elasticsearch hit without an entry (a page deleted since) is dropped.
    entries = (
        SearchEntry.objects.filter(visibility__in=arguments["visibilities"])
        .only(*SHOWN_FIELDS)
        .in_bulk(answer.ids, field_name=field_name)
    )
    results = [
        result_of(entries[i], query, highlight=answer.snippets.get(i))
        for i in answer.ids
        if i in entries
    ]
    return answer.count, answer.facets, results


def page_entries(urls) -> list[tuple[int, str, str, str]]:
    """(page id, kind, title, URL) of the indexed pages at these URLs (for
    apps that link results back to their pages: `retex.search_port`)."""
    return list(
        SearchEntry.objects.filter(url__in=list(urls), page__isnull=False).values_list(
            "page_id", "kind", "title", "url"
        )
    )


# What a result shows (the entry's analysed terms and vector are never read).
SHOWN_FIELDS = (
    "key",
    "title",
    "url",
    "kind",
    "lead",
    "body",
    "date",
    "theme_names",
    "visibility",
)


def result_of(
    entry: SearchEntry, query: ParsedQuery, *, highlight: str | None = None
) -> dict:
    """What the page and the API show of an entry; `highlight` is the backend's
    highlighted fragment of its lead or body, if any."""
    text = entry.lead + "\n" + entry.body
    singles, phrases = marked_terms(query)
    return {
        "title": entry.title,
        "url": entry.url,
        "kind": entry.kind,
        "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
        "snippet": (
            (highlight and highlighted(highlight, text))
            or snippet(text, singles, phrases=phrases)
        ),
        "date": entry.date.isoformat() if entry.date else None,
        "themes": [name for name in entry.theme_names.split("\n") if name],
    }


_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)?")


@functools.lru_cache(maxsize=50_000)
def _stems(token: str) -> frozenset[str]:
    """The analysed terms of one word of text (the vocabulary repeats itself
    from one document and one request to the next)."""
    return frozenset(stem(word) for word in words(token))


def snippet(
    text: str, wanted, *, size: int = SNIPPET_WORDS, phrases: tuple = ()
) -> str:
    """A short extract around the best matching words, the matches in <mark>,
    everything else HTML-escaped. `wanted`: terms marked wherever they are;
    `phrases`: sequences of terms marked only where they stand together (a
    synonym of several words, a hyphenated word: « conseil d'administration »
    is no match for « e-administration »)."""
    # The words as strings (cheaper than match objects); their positions are
    # read below only up to the end of the extract.
    every = _TOKEN.findall(text)
    if not every:
        return ""
    wanted = set(wanted)
    # A long text repeats its words: each distinct word is analysed once.
    scanned = every[:5000]
    matching = {word for word in set(scanned) if not wanted.isdisjoint(_stems(word))}
    marked = {index for index, word in enumerate(scanned) if word in matching}
    if phrases:
        # The text's terms in order, each with the token it comes from.
        sequence = [
            (index, term)
            for index, word in enumerate(scanned)
            for term in sorted(_stems(word))
        ]
        terms_only = [term for _index, term in sequence]
        for phrase in phrases:
            size_ = len(phrase)
            for start_ in range(len(sequence) - size_ + 1):
                if tuple(terms_only[start_ : start_ + size_]) == phrase:
                    marked.update(i for i, _t in sequence[start_ : start_ + size_])

    hits = sorted(marked)[:200]
    start = 0
    if hits:
        # The window holding the most matches, starting a few words before one
        # (the earliest such window on ties); `hits` is sorted.
        def held(first: int) -> int:
            return bisect.bisect_left(hits, first + size) - bisect.bisect_left(
                hits, first
            )

        start = max(sorted({max(0, hit - 3) for hit in hits}), key=held)
    chosen = list(itertools.islice(_TOKEN.finditer(text), start, start + size))
    pieces = []
    position = chosen[0].start()
    for index, token in enumerate(chosen, start=start):
        pieces.append(escape(text[position : token.start()]))
        word = escape(token.group())
        is_match = index in marked or (
            index >= 5000 and not wanted.isdisjoint(_stems(token.group()))
        )
        pieces.append(f"<mark>{word}</mark>" if is_match else word)
        position = token.end()
    html = "".join(pieces).replace("\n", " ")
    if start > 0:
        html = "… " + html
    if start + size < len(every):
        html += " …"
    return mark_safe(html)  # noqa: S308  (every piece above is escaped)


def marked_terms(query: ParsedQuery) -> tuple[set[str], tuple]:
    """What a snippet marks: single-term alternatives anywhere, and the
    alternatives of several terms only as phrases."""
    singles, phrases = set(), []
    for clause in query.clauses:
        for alternative in clause:
            if len(alternative) == 1:
                singles.add(alternative[0])
            else:
                phrases.append(alternative)
    return singles, tuple(dict.fromkeys(phrases))


_MARK_TAGS = re.compile(r"(</?mark>)")


def highlighted(fragment: str, text: str) -> str | None:
    """A highlighted fragment (Elasticsearch's) as safe HTML, or None when its
    text is not in `text`, the entry's lead and body as the database has them.

    The database entry is the reference: after an indexing failure Elasticsearch
    may still hold text the entry no longer shows (a document that became
    members-only), and a fragment of it must never reach the page.

    Not trusted as it comes: every piece of text between the tags is unescaped
    (Elasticsearch escaped it: nothing is escaped twice) and escaped again, and
    `<mark>`/`</mark>` are the only tags kept, balanced. "…" marks a fragment
    starting or ending inside `text`, the entry's lead and body.
    """
    pieces, plain, inside = [], [], False
    for part in _MARK_TAGS.split(fragment):
        if part in ("<mark>", "</mark>"):
            if (part == "<mark>") != inside:
                pieces.append(part)
                inside = not inside
            continue
        part = html.unescape(part)
        plain.append(part)
        pieces.append(escape(part))
    if inside:
        pieces.append("</mark>")
    body = " ".join("".join(pieces).split())
    shown, whole = " ".join("".join(plain).split()), " ".join(text.split())
    if shown not in whole:
        return None
    if not whole.startswith(shown):
        body = "… " + body
    if not whole.endswith(shown):
        body += " …"
    return mark_safe(body)  # noqa: S308  (every piece of text above is escaped)


def suggest(*, text: str, user, limit: int = 8) -> list[dict]:
    """Pages whose title starts with the words typed, after a few searches to
    complete the last word with: words of the index (titles, themes, frequent
    content words) and synonyms, a typo forgiven ("dema" → démarches). Only what
    the person may read: the vocabulary of their visibilities."""
    # Control characters (NUL above all: PostgreSQL refuses it) never reach a query.
    text = clean_text(text)
    visibilities = visibilities_for(user)
    searches = search_completions(text[:100], visibilities)
    engine, entries = backend(), None
    if not isinstance(engine, DatabaseBackend):
        try:
            keys = engine.suggest(text[:100], visibilities=visibilities, limit=limit)
        except Exception:
            logger.exception("Elasticsearch failed; suggesting from the database")
        else:
            found = SearchEntry.objects.filter(visibility__in=visibilities).in_bulk(
                keys, field_name="key"
            )
            entries = [found[key] for key in keys if key in found]
    if entries is None:
        entries = database_backend().suggest(
            text[:100], visibilities=visibilities, limit=limit
        )
    if not entries and searches and fold(searches[0]) != fold(text):
        # Nothing starts with a misspelt word: the pages of its completion.
        entries = database_backend().suggest(
            searches[0], visibilities=visibilities, limit=limit
        )
    pages = [
        {
            "title": e.title,
            "url": e.url,
            "kind": e.kind,
            "kind_label": KIND_LABELS.get(e.kind),
        }
        for e in entries
    ]
    titles = {fold(page["title"]) for page in pages}
    words_ = [
        {
            "title": words_text,
            "url": reverse("search") + "?" + urlencode({"q": words_text}),
            "kind": "recherche",
            "kind_label": _("Rechercher"),
        }
        for words_text in searches
        if fold(words_text) not in titles
    ]
    return (words_[:3] + pages)[:limit]


SUGGESTED_SEARCHES = 3


def search_completions(text: str, visibilities) -> list[str]:
    """Searches completing what is typed: synonyms of the field starting with
    it, then the index's most frequent words starting with its last word (or
    one letter away from it)."""
    folded = fold(text).strip()
    if len(folded) < 2:
        return []
    found = []
    for synonym in synonym_terms():
        if fold(synonym).startswith(folded) and fold(synonym) != folded:
            found.append(synonym)
    found += vocabulary.completions(text, visibilities, limit=SUGGESTED_SEARCHES)
    unique = {}
    for item in found:
        unique.setdefault(fold(item), item)
    return list(unique.values())[:SUGGESTED_SEARCHES]


def synonym_terms() -> list[str]:
    from search.models import Synonym

    return [term for synonym in Synonym.objects.all() for term in synonym.term_list()]


def log_query(text: str, count: int) -> None:
    """Count a search for the editors' statistics: the words, never who."""
    words_only = " ".join(words(text))[:200]
    if not words_only:
        return
    day = timezone.localdate()
    updated = SearchQueryStat.objects.filter(day=day, query=words_only).update(
        searches=F("searches") + 1,
        without_results=F("without_results") + (1 if count == 0 else 0),
    )
    if not updated:
        try:
            with transaction.atomic():
                SearchQueryStat.objects.create(
                    day=day,
                    query=words_only,
                    searches=1,
                    without_results=1 if count == 0 else 0,
                )
        except IntegrityError:
            log_query(text, count)
