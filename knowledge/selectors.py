from django.db.models import Count, Q

from knowledge.models import KnowledgePage
from retex.images import renditions_prefetch
from retex.visibility import pages_visible_to


def knowledge_listing(*, user, filters: dict | None = None):
    """Knowledge pages this person may read, newest first, with what a listing
    card shows fetched up front (a constant number of queries per page)."""
    filters = filters or {}
    pages = pages_visible_to(KnowledgePage.objects.all(), user=user)
    if kind := filters.get("kind"):
        pages = pages.filter(kind=kind)
    if theme := filters.get("theme"):
        pages = pages.filter(themes=theme)
    if collectivity_kind := filters.get("collectivity_kind"):
        pages = pages.filter(
            Q(related_collectivities__kind=collectivity_kind)
            | Q(practicepage__collectivity__kind=collectivity_kind)
        )
    if region := filters.get("region"):
        pages = pages.filter(
            Q(related_collectivities__region=region)
            | Q(practicepage__collectivity__region=region)
        )
    if year := filters.get("year"):
        pages = pages.filter(publication_date__year=year)
    if any(name in filters for name in ("theme", "collectivity_kind", "region")):
        pages = pages.distinct()
    return (
        pages.select_related("hero_image")
        .prefetch_related("themes", renditions_prefetch("hero_image", "card"))
        .order_by("-publication_date", "-first_published_at", "-pk")
    )


def knowledge_years(*, user) -> list[int]:
    """Publication years that have at least one visible page, newest first."""
    pages = pages_visible_to(KnowledgePage.objects.all(), user=user)
    return sorted(
        {d.year for d in pages.dates("publication_date", "year")}, reverse=True
    )


def knowledge_latest(*, user, limit: int = 3):
    """The newest knowledge pages this person may read."""
    return list(knowledge_listing(user=user)[:limit])


def knowledge_related(page: KnowledgePage, *, user, limit: int = 3):
    """Other pages sharing the most themes with `page`, then the newest."""
    # Through .all(): a preview's page holds its themes in memory, not in the DB.
    theme_ids = [theme.pk for theme in page.themes.all()]
    if not theme_ids:
        return []
    pages = (
        pages_visible_to(KnowledgePage.objects.exclude(pk=page.pk), user=user)
        .filter(themes__in=theme_ids)
        .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
        .order_by("-shared", "-publication_date")
    )
    return list(
        pages.select_related("hero_image").prefetch_related(
            renditions_prefetch("hero_image", "card")
        )[:limit]
    )
