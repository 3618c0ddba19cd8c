"""Rendered fragments kept in the cache: what many pages repeat and rarely changes.

A page the page cache does not hold (after a write, or never asked before) is
rendered whole, yet most of it was rendered a moment ago for another page: a
resource's card on `/ressources/`, on the home page and under three related
pages. `cached_fragments` keeps such fragments' HTML in the page cache's shared
cache, under the page cache's invalidation (`retex.page_cache.invalidation`):

- **Keyed by what it shows, never by who asks.** A fragment's key is its name
  and the key parts the caller gives (the page's id, a heading level…); its
  HTML must be the same for everyone who is shown it. Nothing personal or
  visibility-dependent goes into a fragment: the caller filters what a person
  may see *before* choosing which fragments to show (a card of a members-only
  page is only ever looked up for someone who may read that page, and it holds
  nothing but what the page shows to them).
- **Out of date as soon as what it shows changes.** Each fragment records the
  versions of the page cache tags it depends on (`page:<id>` of the page and
  of the collectivities its card names…), given by its renderer, plus the
  page cache's generation: a write that bumps one of its tags, or starts a new
  generation (a theme, an image, a move, every `migrate`, so every
  deployment), makes it out of date exactly as it does a page. A fragment
  rendered while a write was recorded is not stored. Other processes see a
  change within `LOCAL_SECONDS`, as for pages.
- **Its tags go to the page showing it.** A hit returns the fragment's tags
  with its HTML; the caller adds them to the page's own
  (`retex.page_cache.depends_on`), so a stored page holding a card is out of
  date when the card is.
- **Batched.** One look-up for all the fragments of a listing (one round trip
  to the shared cache, two when tag versions are not known here), one render
  call for all the misses (so their data can be fetched in one query per
  relation), one write.
- **Bounded and optional.** Entries expire after `FRAGMENT_CACHE_SECONDS`
  (by default `PAGE_CACHE_SECONDS`: off with the page cache, e.g. without
  Redis, where each process would keep its own copies and miss the other
  processes' writes). `FRAGMENT_CACHE_SECONDS=0` turns fragments off alone:
  every fragment rendered each time (the benchmark's fully cold figure). A
  failing cache is a miss, never an error.

Use:

    from retex.fragments import cached_fragments

    def render(keys):          # the keys missing from the cache
        return [(html_of(key), tags_of(key)) for key in keys]

    found = cached_fragments("card", keys, render)   # [(html, tags)] in order
    depends_on(request, *(tag for _html, tags in found for tag in tags))

`cached_fragment(name, key_parts, dependencies, render)` does the same for one
fragment whose tags are known before rendering. Keys are `repr`'d: give
strings, numbers, tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence

from django.conf import settings
from django.utils.translation import get_language

from retex.page_cache import storage
from retex.page_cache.keys import FRAGMENT_PREFIX, _digest
from retex.page_cache.storage import (
    ANY,
    _cache,
    _failed,
    _read,
    _versions_for,
    tag_key,
)

# Part of every key: bump it when what a stored fragment holds changes shape.
VERSION = "v1"

Rendered = tuple[str, tuple[str, ...]]


def fragment_seconds() -> int:
    """How long a fragment is kept; 0 when fragments are off."""
    seconds = getattr(settings, "FRAGMENT_CACHE_SECONDS", None)
    if seconds is None:
        seconds = settings.PAGE_CACHE_SECONDS
    return max(0, int(seconds))


def enabled() -> bool:
    return fragment_seconds() > 0


def fragment_key(name: str, key: Hashable) -> str:
    return FRAGMENT_PREFIX + _digest(repr((VERSION, name, get_language(), key)))


def cached_fragments(
    name: str,
    keys: Sequence[Hashable],
    render: Callable[[list[Hashable]], Iterable[tuple[str, Iterable[str]]]],
) -> list[Rendered]:
    """The (HTML, tags) of the fragment `name` for each of `keys`, in order:
    from the cache when a current copy is there, else from `render(missing)`,
    which returns (HTML, tags it depends on) for each missing key, in order,
    and is called once (not at all when every fragment was found)."""
    keys = list(keys)
    if not keys:
        return []
    if not enabled():
        return _rendered(render(keys))
    addresses = [fragment_key(name, key) for key in keys]
    ticket, stored = _read(list(dict.fromkeys(addresses)))
    if ticket is None:  # The cache is failing: render, store nothing.
        return _rendered(render(keys))
    found = _current_entries(ticket, stored)
    if found is None:
        return _rendered(render(keys))
    missing = [i for i, address in enumerate(addresses) if address not in found]
    results: dict[int, Rendered] = {
        i: (found[address][1], found[address][3])
        for i, address in enumerate(addresses)
        if address in found
    }
    if missing:
        fresh = _rendered(render([keys[i] for i in missing]))
        if len(fresh) != len(missing):
            raise ValueError(f"{name}: render gave {len(fresh)} of {len(missing)}")
        for i, rendered in zip(missing, fresh, strict=True):
            results[i] = rendered
        _store(ticket, {addresses[i]: results[i] for i in missing})
    return [results[i] for i in range(len(keys))]


def cached_fragment(
    name: str,
    key: Hashable,
    dependencies: Iterable[str],
    render: Callable[[], str],
) -> str:
    """One fragment whose tags are known before it is rendered."""
    tags = tuple(dependencies)
    ((html, _tags),) = cached_fragments(name, [key], lambda _keys: [(render(), tags)])
    return html


def _rendered(pairs) -> list[Rendered]:
    return [(str(html), tuple(tags)) for html, tags in pairs]


def _current_entries(ticket, stored: dict) -> dict | None:
    """The entries of `stored` of the current generation whose tags all have
    the version they were stored with; None when the cache failed."""
    entries = {
        address: entry
        for address, entry in stored.items()
        if entry is not None and len(entry) == 4 and entry[0] == ticket[0]
    }
    unknown = {
        tag
        for entry in entries.values()
        for tag, _version in entry[2]
        if not storage._state.local_version(tag)[0]
    }
    if unknown:
        try:
            versions = _cache().get_many([tag_key(tag) for tag in unknown])
        except Exception as error:  # Any backend error: render, store nothing.
            _failed("lookup", error)
            return None
        storage._state.set_versions(
            {tag: versions.get(tag_key(tag)) for tag in unknown}
        )
    return {
        address: entry
        for address, entry in entries.items()
        if all(
            storage._state.local_version(tag)[1] == version for tag, version in entry[2]
        )
    }


def _store(ticket, rendered: dict[str, Rendered]) -> None:
    """Store each fragment with the versions of its tags (`ANY` when it
    declares none), unless a write was recorded since `ticket`."""
    tags = {tag for _html, own in rendered.values() for tag in (own or (ANY,))}
    # The page cache's own rule: None when a change was recorded meanwhile.
    pairs = _versions_for(ticket, tags)
    if pairs is None:
        return
    versions = dict(pairs)
    try:
        _cache().set_many(
            {
                address: (
                    ticket[0],
                    html,
                    tuple((tag, versions[tag]) for tag in (own or (ANY,))),
                    own,
                )
                for address, (html, own) in rendered.items()
            },
            timeout=fragment_seconds(),
        )
    except Exception as error:
        _failed("store", error)
