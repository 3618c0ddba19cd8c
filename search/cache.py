"""Search answers kept in the cache until the index changes.

Every write to the index (a page published, unpublished, moved, restricted, a
rebuild) gives the index a new generation token, in the database and in the
same transaction as the write (`IndexGeneration`); answers are cached under the
token they were computed at, read with one query per search. So a changed index
is never answered from an older copy, in any process and whatever the cache:
with an in-process cache (no `REDIS_URL`), the web process sees at its next
search what the task worker indexed; with Redis, a token bumped while Redis was
away is not lost. Answers are keyed by what decides them: the parsed query
(synonyms included), filters, sort, page and the visibilities of the person
searching (public, or public and members) — never by who searches.

A cache that fails (Redis down) only costs the speed: the search is computed.

What is cached is a backend's `SearchAnswer`.
"""

import hashlib
import logging
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

from search.models import IndexGeneration

logger = logging.getLogger(__name__)

GENERATION_ROW = 1


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


def generation() -> str | None:
    """The index's current generation token (None before the first write)."""
    return (
        IndexGeneration.objects.filter(pk=GENERATION_ROW)
        .values_list("token", flat=True)
        .first()
    )


def index_changed() -> None:
    """Make every cached answer obsolete: a new generation token, written in
    the current transaction (at once without one), so that it commits with the
    index write. Call it within the write's transaction, before the write: a
    search that reads the new token then finds the new index."""
    token = uuid.uuid4().hex
    rows = IndexGeneration.objects.filter(pk=GENERATION_ROW)
    if not rows.update(token=token):
        IndexGeneration.objects.bulk_create(
            [IndexGeneration(pk=GENERATION_ROW, token=token)], ignore_conflicts=True
        )
        rows.update(token=token)


def cached(parts: tuple, compute):
    """`compute()`, or its answer cached for the same parts and index."""
    if _timeout() <= 0:
        return compute()
    current = generation()
    if current is None:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"search:answer:v2:{current}:{digest}"
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
