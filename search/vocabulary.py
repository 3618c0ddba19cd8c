"""The index's own vocabulary: corrections, compound splits and completions.

`SearchWord` holds each word of the entries (folded, stop words, numbers and
codes left out) per visibility with the number of entries holding it; the
database backend updates it as it writes entries (only the words an entry
gains or loses), and rebuilds it with the index.

Corrections ("cybersécurté" → "cybersécurité") keep the first letter and allow
an edit distance scaled to the word's length (none up to 3 letters, 1 up to 7,
2 beyond; a swap of two letters counts 1), and never touch a word with a digit.
Candidates are read by their first letter and length (an index), so a
correction reads a few hundred short rows at most, whatever the size of the
index. Only the rows of the visibilities of the person searching are read: a
word of members-only content is never offered to a visitor.
"""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Sum

from search.analysis import STOP_WORDS, fold, stem, surface_words

MAX_WORD = 40
# Candidates read for one correction, most frequent first.
MAX_CANDIDATES = 2000


def document_words(*texts: str) -> dict[str, str]:
    """{folded word: as written} of the words worth correcting towards."""
    found = {}
    for text in texts:
        for folded, shown in surface_words(text or ""):
            if (
                len(folded) < 3
                or len(folded) > MAX_WORD
                or folded in STOP_WORDS
                or not folded.isalpha()
            ):
                continue
            found.setdefault(folded, shown[:MAX_WORD])
    return found


def entry_words(entry_or_document) -> dict[str, str]:
    """The vocabulary of one entry (a `SearchEntry` or a `SearchDocument`)."""
    themes = entry_or_document.theme_names
    if not isinstance(themes, str):
        themes = "\n".join(themes)
    return document_words(
        entry_or_document.title, entry_or_document.lead, entry_or_document.body, themes
    )


def _rows(counts: dict[tuple[str, str], int], shown: dict[str, str]):
    from search.models import SearchWord

    return [
        SearchWord(
            word=word,
            visibility=visibility,
            term=stem(word)[:MAX_WORD],
            display=shown.get(word, word),
            initial=word[0],
            length=len(word),
            entries=number,
        )
        for (word, visibility), number in counts.items()
    ]


def add(words: dict[str, str], visibility: str, delta: int = 1) -> None:
    """Count (or, with delta=-1, discount) one entry's words."""
    from django.db.models import F

    from search.models import SearchWord

    if not words:
        return
    if delta > 0:
        SearchWord.objects.bulk_create(
            _rows(dict.fromkeys(((w, visibility) for w in words), 0), words),
            ignore_conflicts=True,
            batch_size=500,
        )
    chosen = SearchWord.objects.filter(visibility=visibility)
    names = list(words)
    for start in range(0, len(names), 500):
        chosen.filter(word__in=names[start : start + 500]).update(
            entries=F("entries") + delta
        )
    if delta < 0:
        chosen.filter(entries__lte=0).delete()


def changed(old: tuple[str, dict] | None, new: tuple[str, dict] | None) -> None:
    """An entry's (visibility, words) went from `old` to `new` (None: absent)."""
    old_visibility, old_words = old or ("", {})
    new_visibility, new_words = new or ("", {})
    if old_visibility == new_visibility:
        gone = {w: s for w, s in old_words.items() if w not in new_words}
        came = {w: s for w, s in new_words.items() if w not in old_words}
    else:
        gone, came = old_words, new_words
    if gone:
        add(gone, old_visibility, -1)
    if came:
        add(came, new_visibility, +1)


def rebuild(vocabularies: Iterable[tuple[str, dict]]) -> None:
    """Replace the vocabulary with that of these entries' (visibility, words)."""
    from search.models import SearchWord

    counts, shown = Counter(), {}
    for visibility, words in vocabularies:
        for word, display in words.items():
            counts[(word, visibility)] += 1
            shown.setdefault(word, display)
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(_rows(counts, shown), batch_size=1000)


# --- Reading ---------------------------------------------------------------------


def allowed_distance(word: str) -> int:
    if len(word) <= 3 or not word.isalpha():
        return 0
    return 1 if len(word) <= 7 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insertions, deletions, substitutions, swaps of two
    neighbours), or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _visible(visibilities):
    from search.models import SearchWord

    return SearchWord.objects.filter(visibility__in=list(visibilities), entries__gt=0)


def known_terms(terms: Iterable[str], visibilities) -> set[str]:
    """Which of these analysed terms some entry the person may read holds."""
    terms = {t for t in terms if t}
    if not terms:
        return set()
    return set(
        _visible(visibilities).filter(term__in=terms).values_list("term", flat=True)
    )


def frequencies(terms: Iterable[str], visibilities) -> dict[str, int]:
    """Entries holding each term (summed over its words; an upper bound)."""
    terms = {t for t in terms if t}
    if not terms:
        return {}
    rows = (
        _visible(visibilities)
        .filter(term__in=terms)
        .values("term")
        .annotate(total=Sum("entries"))
    )
    return {row["term"]: row["total"] for row in rows}


def correction(word: str, visibilities, *, skip=None) -> tuple[str, str] | None:
    """(folded word, as written) the nearest frequent word of the vocabulary to
    `word` (folded), or None when it is known (unless `skip`: that word itself
    is passed over), too short or a code."""
    limit = allowed_distance(word)
    if not limit:
        return None
    rows = (
        _visible(visibilities)
        .filter(
            initial=word[0],
            length__gte=len(word) - limit,
            length__lte=len(word) + limit,
        )
        .values("word")
        .annotate(total=Sum("entries"))
        .order_by("-total", "word")[:MAX_CANDIDATES]
    )
    best, best_key = None, None
    letters = Counter(word)
    for row in rows:
        candidate = row["word"]
        if candidate == skip:
            continue
        if candidate == word:
            return None
        # Cheap bound first: letters present in one and not the other.
        if sum((letters - Counter(candidate)).values()) > limit * 2:
            continue
        found = distance(word, candidate, limit)
        if found > limit:
            continue
        key = (found, -row["total"], candidate)
        if best_key is None or key < best_key:
            best, best_key = candidate, key
    if best is None:
        return None
    shown = (
        _visible(visibilities)
        .filter(word=best)
        .values_list("display", flat=True)
        .first()
    )
    return best, shown or best


def split(word: str, visibilities) -> tuple[str, str] | None:
    """A compound typed glued ("visioguichet") as two words of the vocabulary
    ("visio", "guichet"), the split with the most frequent rarer half; None
    when there is none. Both halves have 2 letters or more (e-administration
    is split by its hyphen, not here)."""
    if len(word) < 6 or not word.isalpha():
        return None
    cuts = [(word[:i], word[i:]) for i in range(2, len(word) - 1)]
    halves = {fold(h) for cut in cuts for h in cut}
    rows = (
        _visible(visibilities)
        .filter(word__in=halves)
        .values("word")
        .annotate(total=Sum("entries"))
    )
    present = {row["word"]: row["total"] for row in rows}
    scored = [
        (min(present[a], present[b]), a, b)
        for a, b in cuts
        if a in present and b in present
    ]
    if not scored:
        return None
    _score, a, b = max(scored)
    return a, b


def completions(prefix: str, visibilities, limit: int = 5) -> list[str]:
    """Frequent words of the vocabulary starting with `prefix` (folded), as
    written; when none does, those one edit away from it (same first letter)."""
    prefix = fold(prefix).strip()
    if len(prefix) < 2 or not prefix.replace(" ", "").isalnum():
        return []
    last = prefix.split()[-1]
    if len(last) < 2:
        return []
    head = prefix[: len(prefix) - len(last)]
    rows = list(
        _visible(visibilities)
        .filter(initial=last[0], word__startswith=last)
        .values("word", "display")
        .annotate(total=Sum("entries"))
        .order_by("-total", "word")[:limit]
    )
    if not rows and len(last) >= 4:
        limit_distance = 1
        candidates = (
            _visible(visibilities)
            .filter(initial=last[0], length__gte=len(last) - 1)
            .values("word", "display")
            .annotate(total=Sum("entries"))
            .order_by("-total", "word")[:MAX_CANDIDATES]
        )
        rows = [
            row
            for row in candidates
            if distance(last, row["word"][: len(last)], limit_distance)
            <= limit_distance
        ][:limit]
    return [head + row["display"] for row in rows]
