"""Related content of knowledge pages, chosen when pages are written.

A knowledge page shows the other pages sharing the most themes with it, then
the newest (`knowledge.selectors.knowledge_related`). Counting the links of its
themes over every page costs 20 to 40 ms at 20,000 pages, so the choice is stored
(`RelatedPage`, one row per chosen page; `RelatedSelection` says that a page's
choice was made) and a render reads it in one query, filtered by what the
visitor may see.

What is stored is visitor-independent: the ranking of every other live page,
down to the `RELATED_LIMIT`-th page under no view restriction. Restricted pages
met on the way are kept in place: a visitor who may read them sees them where
they rank, one who may not sees the next ones, exactly what ranking their own
visible pages would give.

Kept right by `refresh` (a task enqueued in the writing transaction,
`knowledge.signals`), when a page is created, deleted, published, unpublished,
or its date or themes change, or a view restriction covering it changes:

- its own choice is made again, and so is the choice of every page whose rows
  hold it (it may leave them, or move);
- every other page sharing a theme with it gets it inserted where it ranks,
  when it ranks above the last stored page (a new page reaches the pages that
  may now show it, without ranking everything again).

Each page whose rows changed gets its `related:<id>` tag bumped in the page
cache. `rebuild` (command `rebuild_related_pages`) chooses for every page.
"""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count

from knowledge.models import KnowledgePage, RelatedPage, RelatedSelection

RELATED_LIMIT = 3


def related_tag(page_id: int) -> str:
    """The page cache tag of a page's stored choice."""
    return f"related:{page_id}"


def restricted_ids() -> set[int]:
    """Live knowledge pages under any view restriction (whoever may pass it)."""
    from wagtail.models import PageViewRestriction

    from retex.visibility import _restricted_pages

    restrictions = list(PageViewRestriction.objects.select_related("page"))
    if not restrictions:
        return set()
    return set(
        KnowledgePage.objects.live()
        .filter(pk__in=_restricted_pages(restrictions))
        .values_list("pk", flat=True)
    )


def _themes_of(page_ids) -> dict[int, frozenset[int]]:
    links = KnowledgePage.themes.through.objects.all()
    if page_ids is not None:
        links = links.filter(knowledgepage_id__in=page_ids)
    found = defaultdict(set)
    for page_id, theme_id in links.values_list("knowledgepage_id", "theme_id"):
        found[page_id].add(theme_id)
    return {page_id: frozenset(themes) for page_id, themes in found.items()}


def _key(entry):
    """Ranking order: most shared themes, newest, smallest id."""
    page_id, shared, date = entry
    return (-shared, -date.toordinal(), page_id)


def _cut(entries, restricted: set[int], limit: int = RELATED_LIMIT) -> list:
    """`entries` (ranked) down to the `limit`-th unrestricted one."""
    kept, open_ = [], 0
    for entry in entries:
        kept.append(entry)
        if entry[0] not in restricted:
            open_ += 1
            if open_ == limit:
                break
    return kept


def _ranking(theme_ids, depth: int) -> list[tuple[int, int, object]]:
    """The `depth` first live pages by shared themes among `theme_ids`."""
    rows = (
        KnowledgePage.themes.through.objects.filter(
            theme_id__in=theme_ids, knowledgepage__live=True
        )
        .values("knowledgepage_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-knowledgepage__publication_date", "knowledgepage_id")
        .values_list("knowledgepage_id", "shared", "knowledgepage__publication_date")
    )
    return list(rows[:depth])


def _choose(page_ids, restricted: set[int]) -> dict[int, list]:
    """The choice of each of `page_ids` (None: every page) that is live (empty
    for one without themes): one ranking per distinct set of themes."""
    live = KnowledgePage.objects.live()
    if page_ids is not None:
        live = live.filter(pk__in=page_ids)
    live = set(live.values_list("pk", flat=True))
    themes = _themes_of(live if page_ids is not None else None)
    by_themes = defaultdict(list)
    for page_id in live:
        if themes.get(page_id):
            by_themes[themes[page_id]].append(page_id)
    chosen = {page_id: [] for page_id in live}
    # Enough for the page itself and every restricted page to be skipped.
    depth = RELATED_LIMIT + 1 + len(restricted)
    for theme_ids, pages in by_themes.items():
        ranked = _ranking(sorted(theme_ids), depth)
        for page_id in pages:
            chosen[page_id] = _cut([e for e in ranked if e[0] != page_id], restricted)
    return chosen


def _stored(page_ids) -> dict[int, list]:
    """The stored choice of each page of `page_ids` that has one."""
    stored = {
        page_id: []
        for page_id in RelatedSelection.objects.filter(
            page_id__in=page_ids
        ).values_list("page_id", flat=True)
    }
    rows = (
        RelatedPage.objects.filter(page_id__in=page_ids)
        .order_by("page_id", "rank")
        .values_list("page_id", "related_id", "shared", "related__publication_date")
    )
    for page_id, related_id, shared, date in rows:
        stored.setdefault(page_id, []).append((related_id, shared, date))
    return stored


def _write(choices: dict[int, list]) -> None:
    """Store these choices (replacing the pages' rows; a page no longer live
    keeps none) and bump their tags."""
    from retex.page_cache import invalidate_tags

    if not choices:
        return
    page_ids = list(choices)
    live = set(
        KnowledgePage.objects.live()
        .filter(pk__in=page_ids)
        .values_list("pk", flat=True)
    )
    RelatedPage.objects.filter(page_id__in=page_ids).delete()
    RelatedPage.objects.bulk_create(
        [
            RelatedPage(page_id=page_id, related_id=e[0], rank=rank, shared=e[1])
            for page_id, entries in choices.items()
            if page_id in live
            for rank, e in enumerate(entries)
        ],
        batch_size=500,
    )
    RelatedSelection.objects.filter(page_id__in=set(page_ids) - live).delete()
    known = set(
        RelatedSelection.objects.filter(page_id__in=live).values_list(
            "page_id", flat=True
        )
    )
    RelatedSelection.objects.bulk_create(
        [RelatedSelection(page_id=p) for p in live - known], batch_size=500
    )
    invalidate_tags({related_tag(page_id) for page_id in page_ids})


def _compare(entries) -> list[tuple[int, int]]:
    return [(e[0], e[1]) for e in entries]


@transaction.atomic
def refresh(*, changed=(), recompute=()) -> int:
    """After pages `changed` (created, deleted, published, unpublished, their
    date, themes or restrictions changed) and for pages whose choice must be
    made again (`recompute`): update every stored choice they touch. Returns
    how many pages' choices changed."""
    changed = sorted(set(changed))
    restricted = restricted_ids()
    holders = set(
        RelatedPage.objects.filter(related_id__in=changed).values_list(
            "page_id", flat=True
        )
    )
    again = set(changed) | set(recompute) | holders
    before = _stored(again)
    after = _choose(again, restricted)
    updates = {}
    for page_id in again:
        if page_id in after:
            if page_id not in before or _compare(before[page_id]) != _compare(
                after[page_id]
            ):
                updates[page_id] = after[page_id]
        elif page_id in before:  # No longer live (or deleted): no choice.
            updates[page_id] = []
    # The changed pages, now live, in the choices of the other pages sharing
    # a theme, where they rank above the last page stored.
    newcomers = KnowledgePage.objects.live().filter(pk__in=changed)
    links = KnowledgePage.themes.through.objects
    for page_id, date in newcomers.values_list("pk", "publication_date"):
        themes = sorted(_themes_of([page_id]).get(page_id, ()))
        if not themes:
            continue
        sharing = Counter(
            links.filter(theme_id__in=themes, knowledgepage__live=True)
            .exclude(knowledgepage_id=page_id)
            .values_list("knowledgepage_id", flat=True)
        )
        others = [p for p in sharing if p not in again]
        current = _stored(others)
        for other, entries in current.items():
            entries = updates.get(other, entries)
            entry = (page_id, sharing[other], date)
            merged = _cut(sorted([*entries, entry], key=_key), restricted)
            if _compare(merged) != _compare(entries):
                updates[other] = merged
    _write(updates)
    return len(updates)


def rebuild(*, batch: int = 2000) -> int:
    """Choose the related content of every knowledge page again (after a bulk
    import, a theme deleted, or to repair); returns the number of live pages."""
    chosen = _choose(None, restricted_ids())
    with transaction.atomic():
        RelatedPage.objects.all().delete()
        RelatedSelection.objects.all().delete()
        page_ids = sorted(chosen)
        for start in range(0, len(page_ids), batch):
            _write({p: chosen[p] for p in page_ids[start : start + batch]})
    return len(chosen)


def choose_now(page, theme_ids, *, user, limit: int = RELATED_LIMIT) -> list[int]:
    """The choice for `page` with `theme_ids` among what `user` may see,
    computed now (a preview, or a page whose choice is not stored yet)."""
    from retex.visibility import pages_visible_to

    links = KnowledgePage.themes.through.objects
    visible = pages_visible_to(KnowledgePage.objects.exclude(pk=page.pk), user=user)
    rows = (
        links.filter(theme_id__in=theme_ids, knowledgepage__in=visible.values("pk"))
        .values("knowledgepage_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-knowledgepage__publication_date", "knowledgepage_id")
        .values_list("knowledgepage_id", flat=True)
    )
    return list(rows[:limit])
