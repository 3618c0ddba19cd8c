"""Reads of the members app: the directory, comparable collectivities, figures."""

import math

from django.db.models import Count, Prefetch, Q, Sum

from members.models import CollectivityPage, MembershipStatus
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
    filters applied: one grouped query per filter, whatever the directory size."""
    counts = {}
    for name, field in [("kind", "kind"), ("region", "region")]:
        rows = (
            directory_queryset(user=user, filters=filters, exclude=name)
            .order_by()
            .values(field)
            .annotate(n=Count("pk", distinct=True))
        )
        counts[name] = {row[field]: row["n"] for row in rows}
    theme_rows = (
        directory_queryset(user=user, filters=filters, exclude="theme")
        .order_by()
        .values("themes__slug")
        .annotate(n=Count("pk", distinct=True))
    )
    counts["theme"] = {
        r["themes__slug"]: r["n"] for r in theme_rows if r["themes__slug"]
    }
    roadmap_rows = (
        directory_queryset(user=user, filters=filters, exclude="roadmap")
        .order_by()
        .values("roadmap_adopted")
        .annotate(n=Count("pk", distinct=True))
    )
    counts["roadmap"] = {
        ("oui" if r["roadmap_adopted"] else "non"): r["n"] for r in roadmap_rows
    }
    base = directory_queryset(user=user, filters=filters, exclude="population")
    band_counts = base.order_by().aggregate(
        **{
            slug: Count("pk", filter=population_band_q(slug), distinct=True)
            for slug, *_rest in POPULATION_BANDS
        }
    )
    counts["population"] = band_counts
    return counts


def comparable_collectivities(collectivity: CollectivityPage, *, user, limit: int = 4):
    """The members most like this one: same kind, similar population, shared
    themes; with their published practices. How a member finds who has already
    done what it plans."""
    # Through .all(): a preview's page holds its themes in memory, not in the DB.
    theme_ids = {theme.pk for theme in collectivity.themes.all()}
    candidates = (
        pages_visible_to(
            CollectivityPage.objects.exclude(pk=collectivity.pk), user=user
        )
        .filter(membership_status=MembershipStatus.ACTIVE)
        .annotate(
            shared_themes=Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
        )
    )
    population = collectivity.population
    if population:
        candidates = candidates.filter(
            Q(kind=collectivity.kind)
            | Q(population__gte=population // 4, population__lte=population * 4)
        )
    else:
        candidates = candidates.filter(kind=collectivity.kind)

    def score(kind, other_population, shared_themes) -> float:
        value = 3.0 if kind == collectivity.kind else 0.0
        if population and other_population:
            distance = abs(math.log10(other_population / population))
            value += max(0.0, 2.0 - 2.0 * distance)
        return value + shared_themes

    # What the score reads, not whole pages (building 300 pages cost most of
    # the profile's time); the chosen ones are read in full below.
    rows = candidates.values_list("pk", "kind", "population", "shared_themes", "title")
    ranked = sorted(
        rows[:300], key=lambda row: (-score(row[1], row[2], row[3]), row[4])
    )
    chosen = [row[0] for row in ranked[:limit]]
    practice_model = CollectivityPage.practice_model()
    practices = pages_visible_to(practice_model.objects.all(), user=user).filter(
        collectivity__in=chosen
    )
    prefetched = CollectivityPage.objects.filter(pk__in=chosen).prefetch_related(
        Prefetch(
            "practices",
            queryset=practices.order_by("-publication_date"),
            to_attr="published_practices",
        )
    )
    by_pk = {c.pk: c for c in prefetched}
    return [by_pk[pk] for pk in chosen if pk in by_pk]
