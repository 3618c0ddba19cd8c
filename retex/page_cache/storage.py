"""Storage: the shared cache, this process's own copies, the generation."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

from retex.page_cache.keys import (
    CACHE_ALIAS,
    FRAGMENT_PREFIX,
    GENERATION_KEY,
    HEADER,
    LOCAL_MAX_ENTRIES,
    LOCAL_SECONDS,
    RETRY_AFTER,
    _digest,
    enabled,
)

logger = logging.getLogger("retex.page_cache")


def known_generation() -> str | None:
    """The generation this process knows to be current (read from the shared
    cache within `LOCAL_SECONDS`, or started here), or None."""
    state = _state
    if not enabled() or state.generation is None:
        return None
    if time.monotonic() - state.generation_read_at > LOCAL_SECONDS:
        return None
    return state.generation


# --- The cache -----------------------------------------------------------------------


class ProcessState:
    """What one process remembers between requests.

    Besides the shared cache, each process keeps its own copies of the pages it
    served lately, and of the generation: for `LOCAL_SECONDS` it serves them
    without asking the shared cache (a hit then costs no network round trip, as
    cheap as a static file). A change made in this process shows at once; one
    made in another process shows here within `LOCAL_SECONDS`.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.failed_at: float | None = None
        self.generation_lost = False
        self.generation: str | None = None
        self.generation_read_at = 0.0
        self.entries: OrderedDict[str, tuple] = OrderedDict()

    def local_entry(self, key: str) -> tuple | None:
        if self.generation is None:
            return None
        if time.monotonic() - self.generation_read_at > LOCAL_SECONDS:
            return None
        with self.lock:
            entry = self.entries.get(key)
        if entry is None or entry[0] != self.generation or _expired(entry):
            return None
        return entry

    def set_generation(self, generation: str | None) -> None:
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
            self.generation = generation
            self.generation_read_at = time.monotonic()

    def keep(self, key: str, entry: tuple) -> None:
        with self.lock:
            if entry[0] != self.generation:
                return
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > LOCAL_MAX_ENTRIES:
                self.entries.popitem(last=False)


_state = ProcessState()


def _cache():
    return caches[CACHE_ALIAS]


def _expired(entry: tuple) -> bool:
    return time.time() - entry[4] >= settings.PAGE_CACHE_SECONDS


def _available() -> bool:
    failed_at = _state.failed_at
    return failed_at is None or time.monotonic() - failed_at > RETRY_AFTER


def _failed(action: str, error: Exception) -> None:
    _state.failed_at = time.monotonic()
    logger.warning("Page cache unavailable (%s): %r", action, error)


def _read(keys: list[str]) -> tuple[str | None, dict]:
    """The current generation and what the shared cache holds under `keys`, in
    one round trip.

    (None, {}) when the cache cannot be used: nothing is served nor stored.
    """
    state = _state
    if not _available():
        return None, {}
    # A change made while the cache was failing could not be recorded: start a
    # new generation before trusting anything stored earlier.
    if state.generation_lost and not new_generation():
        return None, {}
    cache = _cache()
    try:
        found = cache.get_many([GENERATION_KEY, *keys])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception as error:  # Any backend error: serve uncached.
        _failed("lookup", error)
        return None, {}
    state.failed_at = None
    state.set_generation(generation)
    return generation, {key: found.get(key) for key in keys}


def lookup_any(keys: list[str]) -> tuple[str | None, dict[str, tuple]]:
    """The current generation and the entries stored for it under `keys` (those
    found): this process's own copies if one is recent enough, else what the
    shared cache holds, in one round trip.

    (None, {}) when the cache cannot be used: nothing is served nor stored.
    """
    for key in keys:
        entry = _state.local_entry(key)
        if entry is not None:
            return entry[0], {key: entry}
    generation, stored = _read(keys)
    found = {}
    for key, entry in stored.items():
        if entry is not None and entry[0] == generation and not _expired(entry):
            _state.keep(key, entry)
            found[key] = entry
    return generation, found


def lookup(key: str) -> tuple[str | None, tuple | None]:
    """The current generation and the page stored under `key` for it, if any.

    (None, None) when the cache cannot be used: nothing is served nor stored.
    """
    generation, found = lookup_any([key])
    return generation, found.get(key)


def store(key: str, generation: str, response) -> None:
    headers = [
        (name, value) for name, value in response.items() if name.lower() != "x-cache"
    ]
    entry = (generation, response.status_code, headers, response.content, time.time())
    _put(key, entry)


def _put(key: str, entry: tuple) -> None:
    try:
        _cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        _failed("store", error)
        return
    _state.keep(key, entry)


def response_from(entry: tuple) -> HttpResponse:
    _generation, status, headers, content, stored_at = entry[:5]
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Age"] = str(max(0, int(time.time() - stored_at)))
    response[HEADER] = "HIT"
    return response


def new_generation() -> bool:
    """Start a new generation now: every stored page is out of date."""
    generation = uuid.uuid4().hex
    try:
        _cache().set(GENERATION_KEY, generation, timeout=None)
    except Exception as error:
        _state.generation_lost = True
        _state.set_generation(None)
        _failed("invalidation", error)
        return False
    _state.generation_lost = False
    _state.set_generation(generation)
    return True


def invalidate(using: str | None = None) -> None:
    """Start a new generation once the current transaction commits (at once
    without one): a request that read the database before the commit must not
    store its page under the new generation."""
    transaction.on_commit(new_generation, using=using)


def remember_for_visibility(name: str, *, user, compute, params=()):
    """`compute()`, shared by everybody who may see the same pages.

    For parts of personalised pages that cost the same whatever the person but
    depend on what they may see (the years of the resources listing, the counts
    of the directory filters): kept under the view restrictions the person does
    not pass (`retex.visibility.failed_restrictions`, what `pages_visible_to`
    hides), never under the person; with the pages' generation and expiry, so a
    change shows at once. `compute` must depend on nothing else than the pages
    visible and `params`. Computed each time when the page cache is off or
    failing.
    """
    from retex.visibility import failed_restrictions

    if not enabled():
        return compute()
    hidden = sorted(restriction.pk for restriction in failed_restrictions(user))
    address = repr((name, hidden, params))
    key = FRAGMENT_PREFIX + _digest(address)
    generation, stored = _read([key])
    entry = stored.get(key)
    if generation is None:
        return compute()
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    try:
        _cache().set(key, (generation, value), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        _failed("store", error)
    return value
