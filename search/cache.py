"""Search answers kept in the shared cache until the index changes.

Every write to the index (a page published, unpublished, moved, restricted, a
rebuild) bumps a generation number once its transaction commits; answers are
cached under the generation they were computed at, so a changed index is never
answered from an older copy. Answers are keyed by what decides them: the parsed
query (synonyms included), filters, sort, page and the visibilities of the
person searching (public, or public and members) — never by who searches.

A cache that fails (Redis down) only costs the speed: the search is computed.

What is cached is a backend's `SearchAnswer`.
"""

import hashlib
import logging
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "search:generation"


class SearchAnswer(NamedTuple):
    """What a search backend answers for one page of results."""

    # The entries found, in order: primary keys from the database backend,
    # `SearchEntry.key`s from Elasticsearch (see the backends' `result_field`).
    ids: list
    count: int
    # Facet name → [(value, count)], each counted with the other filters applied.
    facets: dict
    # Id → a highlighted fragment (HTML, matches in <mark>) when the backend
    # highlights (Elasticsearch); the service builds the others. The default is
    # shared by every answer: never mutated.
    snippets: dict = {}


def _timeout() -> int:
    return settings.SEARCH_CACHE_SECONDS


def generation() -> int | None:
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            value = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("search cache unavailable", exc_info=True)
        return None
    return value


def _bump() -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet (or evicted)
            cache.set(GENERATION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("search cache unavailable", exc_info=True)


def index_changed() -> None:
    """Make every cached answer obsolete once the current transaction commits."""
    transaction.on_commit(_bump)


def cached(parts: tuple, compute):
    """`compute()`, or its answer cached for the same parts and index."""
    if _timeout() <= 0:
        return compute()
    current = generation()
    if current is None:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"search:answer:{current}:{digest}"
    try:
        answer = cache.get(key)
    except Exception:
        logger.warning("search cache unavailable", exc_info=True)
        return compute()
    if answer is not None:
        return answer
    answer = compute()
    try:
        cache.set(key, answer, timeout=_timeout())
    except Exception:
        logger.warning("search cache unavailable", exc_info=True)
    return answer
