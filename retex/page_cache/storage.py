"""Storage: the shared cache, this process's own copies, the generation."""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from retex.page_cache.keys import (
    CACHE_ALIAS,
    COMPRESS_MIN_BYTES,
    FRAGMENT_PREFIX,
    GENERATION_KEY,
    GZIP_LEVEL,
    HEADER,
    LOCAL_MAX_ENTRIES,
    LOCAL_SECONDS,
    RETRY_AFTER,
    TAG_PREFIX,
    _digest,
    accepts_gzip,
    compressible,
    enabled,
)

logger = logging.getLogger("retex.page_cache")

# Tag versions a process keeps before dropping those too old to be used.
LOCAL_MAX_TAGS = 5000


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

# The tag every write a model declared bumps too: what declares nothing depends
# on it (`retex.page_cache.invalidation`).
ANY = "*"


def tag_key(tag: str) -> str:
    return TAG_PREFIX + tag


class ProcessState:
    """What one process remembers between requests.

    Besides the shared cache, each process keeps its own copies of the pages it
    served lately, of the generation and of the versions of the tags those pages
    depend on: for `LOCAL_SECONDS` it serves them without asking the shared
    cache (a hit then costs no network round trip, as cheap as a static file).
    A change made in this process shows at once; one made in another process
    shows here within `LOCAL_SECONDS`.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.failed_at: float | None = None
        self.generation_lost = False
        self.generation: str | None = None
        self.generation_read_at = 0.0
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        # tag -> (version, when it was read or set here)
        self.tags: dict[str, tuple[str | None, float]] = {}

    def local_version(self, tag: str) -> tuple[bool, str | None]:
        """(True, version) if this process knows the version of `tag` from
        within `LOCAL_SECONDS`, else (False, None)."""
        known = self.tags.get(tag)
        if known is None or time.monotonic() - known[1] > LOCAL_SECONDS:
            return False, None
        return True, known[0]

    def set_versions(self, versions: dict[str, str | None]) -> None:
        now = time.monotonic()
        with self.lock:
            if len(self.tags) > LOCAL_MAX_TAGS:
                # Versions older than `LOCAL_SECONDS` are never used again.
                self.tags = {
                    tag: known
                    for tag, known in self.tags.items()
                    if now - known[1] <= LOCAL_SECONDS
                }
            for tag, version in versions.items():
                self.tags[tag] = (version, now)

    def local_entry(self, key: str) -> tuple | None:
        if self.generation is None:
            return None
        if time.monotonic() - self.generation_read_at > LOCAL_SECONDS:
            return None
        with self.lock:
            entry = self.entries.get(key)
        if entry is None or entry[0] != self.generation or _expired(entry):
            return None
        for tag, version in entry[6]:
            known, current = self.local_version(tag)
            if not known or current != version:
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


def _read(keys: list[str]) -> tuple[tuple | None, dict]:
    """The ticket of a rendering starting now (the current generation and
    version of `ANY`) and what the shared cache holds under `keys`, in one
    round trip.

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
        found = cache.get_many([GENERATION_KEY, tag_key(ANY), *keys])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
        any_version = found.get(tag_key(ANY))
        if any_version is None:
            cache.add(tag_key(ANY), uuid.uuid4().hex, timeout=None)
            any_version = cache.get(tag_key(ANY))
    except Exception as error:  # Any backend error: serve uncached.
        _failed("lookup", error)
        return None, {}
    state.failed_at = None
    state.set_generation(generation)
    state.set_versions({ANY: any_version})
    return (generation, any_version), {key: found.get(key) for key in keys}


def _current(deps) -> bool | None:
    """Whether every (tag, version) of `deps` is still current: this process's
    versions if recent enough, else read in one round trip. None when the
    cache failed."""
    missing = []
    for tag, version in deps:
        known, current = _state.local_version(tag)
        if not known:
            missing.append(tag)
        elif current != version:
            return False
    if missing:
        try:
            found = _cache().get_many([tag_key(tag) for tag in missing])
        except Exception as error:
            _failed("lookup", error)
            return None
        _state.set_versions({tag: found.get(tag_key(tag)) for tag in missing})
    return all(_state.local_version(tag)[1] == version for tag, version in deps)


def _versions_for(ticket: tuple, tags) -> tuple | None:
    """The (tag, version) pairs to store with what a rendering that started
    with `ticket` produced, depending on `tags` (None: on `ANY`); None when a
    change was recorded meanwhile (what was rendered may predate it: not
    stored) or the cache failed."""
    tags = sorted(set(tags)) if tags else [ANY]
    wanted = [GENERATION_KEY, tag_key(ANY), *(tag_key(tag) for tag in tags)]
    cache = _cache()
    try:
        found = cache.get_many(wanted)
        absent = [tag for tag in tags if tag_key(tag) not in found]
        if absent:
            for tag in absent:
                cache.add(tag_key(tag), uuid.uuid4().hex, timeout=None)
            found.update(cache.get_many([tag_key(tag) for tag in absent]))
    except Exception as error:
        _failed("store", error)
        return None
    if (found.get(GENERATION_KEY), found.get(tag_key(ANY))) != ticket:
        return None
    versions = {tag: found.get(tag_key(tag)) for tag in tags}
    if None in versions.values():
        return None
    _state.set_versions(versions)
    return tuple(versions.items())


def lookup_any(keys: list[str]) -> tuple[tuple | None, dict[str, tuple]]:
    """The ticket of a rendering starting now and the entries still current
    under `keys` (those found): this process's own copies if one is recent
    enough, else what the shared cache holds, in one round trip (two when the
    versions of the tags the entry depends on are not known here).

    (None, {}) when the cache cannot be used: nothing is served nor stored.
    """
    for key in keys:
        entry = _state.local_entry(key)
        if entry is not None:
            return (entry[0], _state.local_version(ANY)[1]), {key: entry}
    ticket, stored = _read(keys)
    found = {}
    for key, entry in stored.items():
        if entry is None or entry[0] != ticket[0] or _expired(entry):
            continue
        current = _current(entry[6])
        if current is None:
            return None, {}
        if current:
            _state.keep(key, entry)
            found[key] = entry
    return ticket, found


def lookup(key: str) -> tuple[tuple | None, tuple | None]:
    """The ticket of a rendering starting now and the page stored under `key`
    if still current.

    (None, None) when the cache cannot be used: nothing is served nor stored.
    """
    ticket, found = lookup_any([key])
    return ticket, found.get(key)


def store(key: str, ticket: tuple, response) -> tuple:
    """Keep the whole page `response` under `key` (unless a change was
    recorded since `ticket`); the entry, to answer this request from too."""
    entry = stored_copy(ticket, response)
    _put(key, ticket, entry, getattr(response, "page_cache_tags", None))
    return entry


# --- What is stored of a whole page, and how it is sent -------------------------------

GZIP = "gzip"
# The ETag of a gzip-compressed copy: the page's, with this before its closing
# quote (as Apache's mod_deflate does): each encoding has its own strong ETag.
GZIP_ETAG_SUFFIX = "-gzip"


def stored_copy(ticket: tuple, response) -> tuple:
    """The entry kept of a whole page: its status, headers and body, with an
    ETag (a digest of the page), compressed once, here, when worth it.

    A compressed copy is stored as it is sent to clients accepting gzip (nearly
    all): `Content-Encoding: gzip`, its own ETag and Content-Length, `Vary:
    Accept-Encoding`; `response_from` decompresses it for the others. Only
    pages the page cache may store get here, and those hold nothing secret (no
    CSRF token, nothing personal: see `keys.response_is_storable`), so
    compressing them next to reflected input (a listing's filters) leaks
    nothing (BREACH).
    """
    body = response.content
    etag = response.get("ETag") or f'"{_body_digest(body)}"'
    changed = {"ETag": etag}
    if (
        len(body) >= COMPRESS_MIN_BYTES
        and "Content-Encoding" not in response
        and compressible(response.get("Content-Type", ""))
    ):
        compressed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        if len(compressed) < len(body):
            body = compressed
            changed["Content-Encoding"] = GZIP
            changed["ETag"] = _gzip_etag(etag)
            changed["Vary"] = _vary_also(response.get("Vary", ""), "Accept-Encoding")
    changed["Content-Length"] = str(len(body))
    replaced = {name.lower() for name in changed} | {HEADER.lower()}
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in replaced
    ]
    headers.extend(changed.items())
    return (ticket[0], response.status_code, headers, body, time.time())


def _body_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _vary_also(vary: str, header: str) -> str:
    values = [value.strip() for value in vary.split(",") if value.strip()]
    if header.lower() not in {value.lower() for value in values}:
        values.append(header)
    return ", ".join(values)


def _gzip_etag(etag: str) -> str:
    return etag[:-1] + GZIP_ETAG_SUFFIX + '"'


def _identity_etag(etag: str) -> str:
    suffix = GZIP_ETAG_SUFFIX + '"'
    return etag.removesuffix(suffix) + '"' if etag.endswith(suffix) else etag


def _put(key: str, ticket: tuple, entry: tuple, tags=None) -> None:
    """Store `entry` (5 or 6 items) with the versions of the `tags` it depends
    on (None: `ANY`), unless a change was recorded since `ticket`."""
    deps = _versions_for(ticket, tags)
    if deps is None:
        return
    entry = (*entry[:5], entry[5] if len(entry) > 5 else None, deps)
    try:
        _cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        _failed("store", error)
        return
    _state.keep(key, entry)


def response_from(entry: tuple, request=None, *, hit: bool = True) -> HttpResponse:
    """The response made of a stored entry, for `request`: the stored body as
    it is when the client accepts its encoding, else decompressed (without
    `request`: decompressed, for shells to be filled); 304 when the client
    already holds this copy (`If-None-Match`)."""
    _generation, status, headers, body, stored_at = entry[:5]
    response = HttpResponse(status=status)
    for name, value in headers:
        response[name] = value
    if response.get("Content-Encoding") == GZIP and (
        request is None or not accepts_gzip(request)
    ):
        body = gzip.decompress(body)
        del response["Content-Encoding"]
        response["ETag"] = _identity_etag(response["ETag"])
        response["Content-Length"] = str(len(body))
    response.content = body
    if hit:
        response["Age"] = str(max(0, int(time.time() - stored_at)))
    if request is not None and "ETag" in response and _conditional(request):
        response = get_conditional_response(
            request, etag=response["ETag"], response=response
        )
    response[HEADER] = "HIT" if hit else "MISS"
    return response


_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _conditional(request) -> bool:
    meta = request.META
    return any(name in meta for name in _CONDITIONS)


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


def bump(tags) -> bool:
    """Give `tags` and `ANY` new versions now: every entry depending on one of
    them is out of date. If that cannot be recorded, a new generation is
    started as soon as the cache answers again."""
    versions = {tag: uuid.uuid4().hex for tag in {*tags, ANY}}
    try:
        _cache().set_many(
            {tag_key(tag): version for tag, version in versions.items()},
            timeout=None,
        )
    except Exception as error:
        _state.generation_lost = True
        _state.set_generation(None)
        _failed("invalidation", error)
        return False
    _state.set_versions(versions)
    return True


def invalidate(using: str | None = None) -> None:
    """Start a new generation once the current transaction commits (at once
    without one): a request that read the database before the commit must not
    store its page under the new generation."""
    transaction.on_commit(new_generation, using=using)


def invalidate_tags(tags, using: str | None = None) -> None:
    """Bump `tags` (and `ANY`) once the current transaction commits."""
    tags = frozenset(tags)
    transaction.on_commit(lambda: bump(tags), using=using)


def remember_for_visibility(name: str, *, user, compute, params=(), depends_on=None):
    """`compute()`, shared by everybody who may see the same pages.

    For parts of personalised pages that cost the same whatever the person but
    depend on what they may see (the years of the resources listing, the counts
    of the directory filters): kept under the view restrictions the person does
    not pass (`retex.visibility.failed_restrictions`, what `pages_visible_to`
    hides), never under the person; with the pages' generation, tags
    (`depends_on`, like a page's `cache_dependencies()`; by default `ANY`: any
    recorded change) and expiry, so a change shows at once. `compute` must
    depend on nothing else than the pages visible and `params`. Computed each
    time when the page cache is off or failing.
    """
    from retex.visibility import failed_restrictions

    if not enabled():
        return compute()
    hidden = sorted(restriction.pk for restriction in failed_restrictions(user))
    address = repr((name, hidden, params))
    key = FRAGMENT_PREFIX + _digest(address)
    ticket, stored = _read([key])
    if ticket is None:
        return compute()
    entry = stored.get(key)
    if entry is not None and entry[0] == ticket[0] and _current(entry[2]):
        return entry[1]
    value = compute()
    deps = _versions_for(ticket, depends_on)
    if deps is None:
        return value
    try:
        _cache().set(key, (ticket[0], value, deps), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        _failed("store", error)
    return value
