"""Reads of the members app: the directory, comparable collectivities, figures."""

from collections import Counter, defaultdict

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import Count, Q, Sum

from members.models import CollectivityPage, MembershipStatus, StoredComparables
from retex.images import renditions_prefetch
from retex.models import Theme
from retex.visibility import page_restrictions_failed, pages_visible_to

POPULATION_BANDS = [
    ("moins-3500", "Moins de 3 500 habitants", 0, 3_500),
    ("3500-20000", "De 3 500 à 20 000 habitants", 3_500, 20_000),
    ("20000-100000", "De 20 000 à 100 000 habitants", 20_000, 100_000),
    ("100000-500000", "De 100 000 à 500 000 habitants", 100_000, 500_000),
    ("plus-500000", "Plus de 500 000 habitants", 500_000, None),
]


def member_stats(*, user=None) -> dict:
    """Figures the home page shows about the network's members (the same for
    everyone: `user` is accepted as for every home section). The collectivities
    are those the directory lists to anybody, so the home page's count is the
    directory's."""
    from django.contrib.auth.models import AnonymousUser

    return (
        directory_queryset(user=AnonymousUser(), filters={})
        .order_by()
        .aggregate(
            collectivities=Count("pk"),
            population=Sum("population"),
            regions=Count("region", distinct=True),
        )
    )


def home_dependencies() -> tuple[str, ...]:
    """What the home page's figures and map show (`home_cache_dependencies`):
    the member collectivities."""
    return ("kind:members.collectivitypage",)


def population_band_q(band: str) -> Q:
    for slug, _label, low, high in POPULATION_BANDS:
        if slug == band:
            q = Q(population__gte=low)
            if high is not None:
                q &= Q(population__lt=high)
            return q
    return Q(pk__in=[])


def directory_queryset(*, user, filters: dict, exclude: str | None = None):
    """Collectivities of the directory matching `filters` (but `exclude`, for the
    counts of that filter's own options)."""
    pages = pages_visible_to(CollectivityPage.objects.all(), user=user)
    for name, value in filters.items():
        if name == exclude or value in (None, ""):
            continue
        if name == "kind":
            pages = pages.filter(kind=value)
        elif name == "region":
            pages = pages.filter(region=value)
        elif name == "population":
            pages = pages.filter(population_band_q(value))
        elif name == "theme":
            pages = pages.filter(themes=value)
        elif name == "roadmap":
            pages = pages.filter(roadmap_adopted=value == "oui")
        elif name == "status":
            pages = pages.filter(membership_status=value)
    return pages


def directory_listing(*, user, filters: dict):
    return (
        directory_queryset(user=user, filters=filters)
        .select_related("logo")
        .prefetch_related(renditions_prefetch("logo", "logo"))
        .order_by("title", "pk")
    )


def _plain_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver gives them:
    without the ORM's per-value conversions, which cost more than the query
    for the directory's 1,500 rows (a boolean may come as 0 or 1)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def directory_counts(*, user, filters: dict) -> dict[str, dict[str, int]]:
    """For each filter, how many collectivities each option would give, the other
    filters applied: the visible collectivities' few filtered fields and their
    themes read once (two queries, whatever the directory size), counted here
    (six grouped queries cost more to build and run than counting 1,500 rows)."""
    visible = directory_queryset(user=user, filters={}).order_by()
    rows = _plain_rows(
        visible.values_list(
            "pk", "kind", "region", "population", "roadmap_adopted", "membership_status"
        )
    )
    themes_of = defaultdict(dict)
    # Every collectivity's themes (a narrow table; those of collectivities not
    # visible are never read): cheaper than repeating the visibility rule. The
    # themes' slugs apart (a few rows), not joined to each link.
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    links = _plain_rows(
        CollectivityPage.themes.through.objects.order_by().values_list(
            "collectivitypage_id", "theme_id"
        )
    )
    for page_id, theme_id in links:
        themes_of[page_id][theme_id] = slugs.get(theme_id)
    bands = {slug: (low, high) for slug, _label, low, high in POPULATION_BANDS}

    def in_band(population, slug) -> bool:
        if slug not in bands or population is None:
            return False
        low, high = bands[slug]
        return population >= low and (high is None or population < high)

    def band_of(population) -> str | None:
        if population is None:
            return None
        for slug, (low, high) in bands.items():
            if population >= low and (high is None or population < high):
                return slug
        return None

    tests = {
        "kind": lambda row, value: row[1] == value,
        "region": lambda row, value: row[2] == value,
        "population": lambda row, value: in_band(row[3], value),
        "theme": lambda row, value: getattr(value, "pk", value) in themes_of[row[0]],
        "roadmap": lambda row, value: row[4] == (value == "oui"),
        "status": lambda row, value: row[5] == value,
    }
    active = [
        (name, value)
        for name, value in filters.items()
        if value not in (None, "") and name in tests
    ]

    def matching(exclude: str):
        checks = [(tests[name], value) for name, value in active if name != exclude]
        if not checks:  # The plain directory: every row, no test per row.
            return rows
        return [row for row in rows if all(test(row, v) for test, v in checks)]

    counts = {
        "kind": dict(sorted(Counter(row[1] for row in matching("kind")).items())),
        "region": dict(sorted(Counter(row[2] for row in matching("region")).items())),
    }
    counts["theme"] = dict(
        sorted(
            Counter(
                slug
                for row in matching("theme")
                for slug in themes_of[row[0]].values()
                if slug
            ).items()
        )
    )
    counts["roadmap"] = dict(
        sorted(
            Counter(("oui" if row[4] else "non") for row in matching("roadmap")).items()
        )
    )
    # The bands do not overlap: each row counted in its own, in one pass.
    in_bands = Counter(band_of(row[3]) for row in matching("population"))
    counts["population"] = {slug: in_bands[slug] for slug, *_rest in POPULATION_BANDS}
    return counts


def comparable_collectivities(
    collectivity: CollectivityPage, *, user, limit: int = 4, preview: bool = False
):
    """The members most like this one: same kind, similar population, shared
    themes (`members.comparables`); with their published practices. How a
    member finds who has already done what it plans.

    Read from the stored choice (one query, then the chosen pages as `user`
    may see them); chosen now for a preview (its kind, population and themes
    are in memory, not in the database), a collectivity not chosen for yet,
    or a reader for whom too few of a long stored list remain."""
    from members.comparables import MAX_DEPTH

    stored = None
    if not preview:
        stored = (
            StoredComparables.objects.filter(collectivity_id=collectivity.pk)
            .values_list("ranking", flat=True)
            .first()
        )
    if stored is not None:
        chosen = _comparables_read(stored, user=user)[:limit]
        if len(chosen) == limit or len(stored) < MAX_DEPTH:
            return chosen
    return _comparables_read(
        _comparables_now(collectivity, user=user, limit=limit), user=user
    )


def _comparables_now(collectivity: CollectivityPage, *, user, limit: int) -> list[int]:
    """The choice among the collectivities `user` may see, computed now."""
    from members.comparables import Profile, profiles, rank

    # Through .all(): a preview's page holds its themes in memory, not in the DB.
    subject = Profile(
        pk=collectivity.pk,
        kind=collectivity.kind,
        population=collectivity.population,
        title=collectivity.title,
        active=collectivity.membership_status == MembershipStatus.ACTIVE,
        themes=frozenset(theme.pk for theme in collectivity.themes.all()),
    )
    others = profiles(
        pages_visible_to(CollectivityPage.objects.all(), user=user).filter(
            membership_status=MembershipStatus.ACTIVE
        )
    )
    return rank(subject, others, limit=limit)


def visible_among(pages, *, user) -> list:
    """Those of `pages` (a few rows, read with their path and live flag) that
    `user` may see: the visibility rule for one page (live, and no view
    restriction failed on it or above: `retex.visibility`), applied to each.
    For a handful of rows this costs less than the restrictions' subquery
    costs the ORM to build on every query (`pages_visible_to`)."""
    user = user or AnonymousUser()
    return [
        page for page in pages if page.live and not page_restrictions_failed(page, user)
    ]


def _comparables_read(ids: list[int], *, user) -> list[CollectivityPage]:
    """These collectivities, in this order, as `user` may see them (live,
    not restricted, still active members), each with the practices `user` may
    see, newest first (`published_practices`): two queries by ids."""
    if not ids:
        return []
    found = visible_among(
        CollectivityPage.objects.filter(
            pk__in=ids, membership_status=MembershipStatus.ACTIVE
        ).order_by(),
        user=user,
    )
    practices_of = defaultdict(list)
    practices = CollectivityPage.practice_model().objects.filter(
        collectivity__in=[c.pk for c in found], live=True
    )
    for practice in visible_among(
        practices.order_by("-publication_date", "pk"), user=user
    ):
        practices_of[practice.collectivity_id].append(practice)
    by_pk = {c.pk: c for c in found}
    for collectivity in found:
        collectivity.published_practices = practices_of[collectivity.pk]
    return [by_pk[pk] for pk in ids if pk in by_pk]
