"""Reads of the members app: the directory, comparable collectivities, figures."""

from collections import Counter, defaultdict

from django.db.models import Count, Prefetch, Q, Sum

from members.models import CollectivityPage, MembershipStatus, StoredComparables
from retex.images import renditions_prefetch
from retex.visibility import pages_visible_to

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
        .prefetch_related("themes", renditions_prefetch("logo", "logo"))
        .order_by("title", "pk")
    )


def directory_counts(*, user, filters: dict) -> dict[str, dict[str, int]]:
    """For each filter, how many collectivities each option would give, the other
    filters applied: the visible collectivities' few filtered fields and their
    themes read once (two queries, whatever the directory size), counted here
    (six grouped queries cost more to build and run than counting 1,500 rows)."""
    visible = directory_queryset(user=user, filters={}).order_by()
    rows = list(
        visible.values_list(
            "pk", "kind", "region", "population", "roadmap_adopted", "membership_status"
        )
    )
    themes_of = defaultdict(dict)
    # Every collectivity's themes (a narrow table; those of collectivities not
    # visible are never read): cheaper than repeating the visibility rule.
    links = CollectivityPage.themes.through.objects.values_list(
        "collectivitypage_id", "theme_id", "theme__slug"
    )
    for page_id, theme_id, slug in links:
        themes_of[page_id][theme_id] = slug
    bands = {slug: (low, high) for slug, _label, low, high in POPULATION_BANDS}

    def in_band(population, slug) -> bool:
        if slug not in bands or population is None:
            return False
        low, high = bands[slug]
        return population >= low and (high is None or population < high)

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
    population_rows = matching("population")
    counts["population"] = {
        slug: sum(1 for row in population_rows if in_band(row[3], slug))
        for slug, *_rest in POPULATION_BANDS
    }
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


def _comparables_read(ids: list[int], *, user) -> list[CollectivityPage]:
    """These collectivities, in this order, as `user` may see them (live,
    not restricted, still active members), each with the practices `user` may
    see (`published_practices`): two queries."""
    if not ids:
        return []
    practice_model = CollectivityPage.practice_model()
    practices = pages_visible_to(practice_model.objects.all(), user=user).filter(
        collectivity__in=ids
    )
    found = (
        pages_visible_to(CollectivityPage.objects.filter(pk__in=ids), user=user)
        .filter(membership_status=MembershipStatus.ACTIVE)
        # Ordered here: the pages' default order (their path) made SQLite walk
        # the path index rather than look the few ids up.
        .order_by()
        .prefetch_related(
            Prefetch(
                "practices",
                queryset=practices.order_by("-publication_date"),
                to_attr="published_practices",
            )
        )
    )
    by_pk = {c.pk: c for c in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]
