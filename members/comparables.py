"""Comparable collectivities, chosen when collectivities are written.

A profile shows the members most like its collectivity (same kind, similar
population, shared themes), so that a member finds who has already done what it
plans (`members.selectors.comparable_collectivities`, also read by the mutual
aid's solicitations). Scoring every candidate costs 15 to 20 ms per render at
1,500 collectivities on SQLite, so each collectivity's choice is stored
(`StoredComparables`: its ranking, best first) and a render reads it in one
query, filtered by what the reader may see.

What is stored does not depend on the reader: the ranking of the live active
collectivities down to the `LIMIT`-th one under no view restriction (at most
`MAX_DEPTH` rows). Restricted collectivities met on the way are kept in place:
a reader who may see them gets them where they rank, one who may not gets the
next ones, exactly what ranking the collectivities they may see would give. A
reader for whom too few remain of a list cut at `MAX_DEPTH` gets a choice
computed at once.

Kept right by `refresh` (a task enqueued in the writing transaction,
`members.signals`) whenever a collectivity page is saved with more than
bookkeeping fields (published, unpublished, its kind, population, themes,
status or title changed…), deleted, or a view restriction over collectivities
changes (`rebuild`): the written collectivity chooses again, so does every one
whose list holds it, and every one it would now enter. Each collectivity whose
list changed gets its `comparables:<id>` page-cache tag bumped.
`manage.py rebuild_comparables` chooses for all (after a bulk import, rows
written without signals, or to repair).

Until the task has run, the stored lists may be a write behind; what a reader
is shown is still filtered by visibility and status when read, so nothing
unpublished, restricted or no longer a member appears.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from members.models import CollectivityPage, MembershipStatus, StoredComparables

LIMIT = 4
# Rows stored per collectivity at most (the `LIMIT` shown and restricted ones
# met before them).
MAX_DEPTH = 24


def comparables_tag(collectivity_id: int) -> str:
    """The page-cache tag of a collectivity's stored comparables."""
    return f"comparables:{collectivity_id}"


@dataclass(frozen=True, slots=True)
class Profile:
    """What the score reads of a collectivity."""

    pk: int
    kind: str
    population: int | None
    title: str
    active: bool
    themes: frozenset[int]


def profiles(queryset) -> list[Profile]:
    """`queryset`'s collectivities as `Profile`s (two queries)."""
    rows = list(
        queryset.order_by().values_list(
            "pk", "kind", "population", "title", "membership_status"
        )
    )
    themes_of = defaultdict(set)
    links = CollectivityPage.themes.through.objects.values_list(
        "collectivitypage_id", "theme_id"
    )
    for page_id, theme_id in links:
        themes_of[page_id].add(theme_id)
    return [
        Profile(
            pk=pk,
            kind=kind,
            population=population,
            title=title,
            active=status == MembershipStatus.ACTIVE,
            themes=frozenset(themes_of.get(pk, ())),
        )
        for pk, kind, population, title, status in rows
    ]


def is_candidate(subject: Profile, other: Profile) -> bool:
    """Whether `other` may be shown as comparable to `subject`: another active
    member of the same kind, or of a population within a factor of four."""
    if other.pk == subject.pk or not other.active:
        return False
    if other.kind == subject.kind:
        return True
    population = subject.population
    return bool(
        population
        and other.population is not None
        and population // 4 <= other.population <= population * 4
    )


def score(subject: Profile, other: Profile) -> float:
    """Same kind 3, population up to 2 (equal: 2, ten times more or less: 0),
    one per shared theme."""
    value = 3.0 if other.kind == subject.kind else 0.0
    if subject.population and other.population:
        distance = abs(math.log10(other.population / subject.population))
        value += max(0.0, 2.0 - 2.0 * distance)
    return value + len(subject.themes & other.themes)


def _key(subject: Profile, other: Profile):
    """Ranking order: best score, then title, then smallest id."""
    return (-score(subject, other), other.title, other.pk)


def rank(
    subject: Profile,
    others: list[Profile],
    *,
    restricted: frozenset[int] | set[int] = frozenset(),
    limit: int = LIMIT,
) -> list[int]:
    """The ids of the best candidates among `others`, down to the `limit`-th
    not in `restricted` (and `MAX_DEPTH` at most)."""
    candidates = [other for other in others if is_candidate(subject, other)]
    depth = min(limit + len(restricted), MAX_DEPTH)
    best = heapq.nsmallest(depth, candidates, key=lambda other: _key(subject, other))
    chosen, open_ = [], 0
    for other in best:
        chosen.append(other.pk)
        if other.pk not in restricted:
            open_ += 1
            if open_ == limit:
                break
    return chosen


def restricted_ids() -> set[int]:
    """Live collectivities under any view restriction (whoever may pass it)."""
    from wagtail.models import PageViewRestriction

    from retex.visibility import _restricted_pages

    restrictions = list(PageViewRestriction.objects.select_related("page"))
    if not restrictions:
        return set()
    return set(
        CollectivityPage.objects.live()
        .filter(pk__in=_restricted_pages(restrictions))
        .values_list("pk", flat=True)
    )


def _write(rankings: dict[int, list[int]], removed: set[int]) -> None:
    from retex.page_cache import invalidate_tags

    if removed:
        StoredComparables.objects.filter(collectivity_id__in=removed).delete()
    existing = set(
        StoredComparables.objects.filter(collectivity_id__in=rankings).values_list(
            "collectivity_id", flat=True
        )
    )
    for pk in existing:
        StoredComparables.objects.filter(collectivity_id=pk).update(
            ranking=rankings[pk]
        )
    StoredComparables.objects.bulk_create(
        [
            StoredComparables(collectivity_id=pk, ranking=ranking)
            for pk, ranking in rankings.items()
            if pk not in existing
        ],
        batch_size=500,
    )
    if rankings or removed:
        invalidate_tags({comparables_tag(pk) for pk in {*rankings, *removed}})


def _holds_or_would_take(
    subject: Profile,
    ranking: list[int],
    changed: list[Profile],
    changed_ids: set[int],
    by_pk: dict[int, Profile],
    restricted: set[int],
) -> bool:
    """Whether `subject`'s stored `ranking` may change after `changed`: it holds
    one of them, or one of them is now a candidate ranking above its last row
    (or the list was short of candidates)."""
    if changed_ids.intersection(ranking):
        return True
    if any(pk not in by_pk for pk in ranking):  # Gone without a signal.
        return True
    last = by_pk[ranking[-1]] if ranking else None
    open_ = sum(1 for pk in ranking if pk not in restricted)
    short = open_ < LIMIT and len(ranking) < MAX_DEPTH
    for other in changed:
        if not is_candidate(subject, other):
            continue
        if short or _key(subject, other) < _key(subject, last):
            return True
    return False


@transaction.atomic
def refresh(*, changed=()) -> int:
    """After collectivities `changed` were written (or deleted): update every
    stored list they touch. Returns how many lists changed."""
    changed_ids = set(changed)
    live = profiles(CollectivityPage.objects.live())
    by_pk = {profile.pk: profile for profile in live}
    restricted = restricted_ids()
    stored = dict(StoredComparables.objects.values_list("collectivity_id", "ranking"))
    changed_profiles = [by_pk[pk] for pk in changed_ids if pk in by_pk]
    updates = {}
    for subject in live:
        ranking = stored.get(subject.pk)
        if (
            ranking is None
            or subject.pk in changed_ids
            or _holds_or_would_take(
                subject, ranking, changed_profiles, changed_ids, by_pk, restricted
            )
        ):
            chosen = rank(subject, live, restricted=restricted)
            if chosen != ranking:
                updates[subject.pk] = chosen
    removed = set(stored) - set(by_pk)
    _write(updates, removed)
    return len(updates) + len(removed)


def rebuild() -> int:
    """Choose the comparables of every live collectivity again; returns their
    number."""
    live = profiles(CollectivityPage.objects.live())
    restricted = restricted_ids()
    rankings = {
        subject.pk: rank(subject, live, restricted=restricted) for subject in live
    }
    with transaction.atomic():
        StoredComparables.objects.all().delete()
        _write(rankings, set())
    return len(rankings)
