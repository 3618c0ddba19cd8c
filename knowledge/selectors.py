import datetime

from django.db.models import Count, Prefetch, Q

from knowledge.models import Interviewee, KnowledgePage
from retex.images import renditions_prefetch
from retex.page_cache import remember_for_visibility
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
        # Joins through links may repeat a page: each page once through its id
        # (a subquery read once), not DISTINCT on whole rows, which copies every
        # matching page, body included, into a temporary table before sorting.
        pages = KnowledgePage.objects.filter(pk__in=pages.values("pk"))
    return with_card_relations(pages).order_by(
        "-publication_date", "-first_published_at", "-pk"
    )


def with_card_relations(pages):
    """What a card shows (knowledge/includes/card.html), fetched with the pages:
    the illustration, the themes, an interview's people with their portraits, a
    practice's collectivity with its logo; each in one query for all the cards
    (a query is skipped when no card needs it)."""
    from members.models import CollectivityPage

    people = Interviewee.objects.select_related("portrait", "collectivity")
    collectivities = CollectivityPage.objects.select_related("logo")
    return pages.select_related(
        "hero_image", "interviewpage", "practicepage"
    ).prefetch_related(
        "themes",
        renditions_prefetch("hero_image", "card"),
        Prefetch("interviewpage__interviewees", queryset=people),
        renditions_prefetch("interviewpage__interviewees__portrait", "portrait"),
        Prefetch("practicepage__collectivity", queryset=collectivities),
        renditions_prefetch("practicepage__collectivity__logo", "logo"),
    )


def knowledge_years(*, user) -> list[int]:
    """Publication years that have at least one visible page, newest first.

    The newest visible page, then the newest published before its year, and so
    on: one look-up down the publication date's index per year shown, rather
    than reading the date of every page (20,000 at the benchmark's scale)."""
    pages = pages_visible_to(KnowledgePage.objects.all(), user=user).order_by(
        "-publication_date"
    )
    years = []
    while True:
        found = pages
        if years:
            found = pages.filter(publication_date__lt=datetime.date(years[-1], 1, 1))
        newest = found.values_list("publication_date", flat=True).first()
        if newest is None:
            return years
        years.append(newest.year)


def knowledge_latest(*, user, limit: int = 3):
    """The newest knowledge pages this person may read."""
    return list(knowledge_listing(user=user)[:limit])


def knowledge_related(page: KnowledgePage, *, user, limit: int = 3):
    """Other pages sharing the most themes with `page`, then the newest."""
    # Through .all(): a preview's page holds its themes in memory, not in the DB.
    theme_ids = sorted(theme.pk for theme in page.themes.all())
    if not theme_ids:
        return []
    # Which pages: counted on the themes' link table alone (narrow rows), and
    # shared by everybody who sees the same pages until a knowledge page's
    # selection fields (live, date, themes) change; their cards are read fresh.
    chosen = remember_for_visibility(
        "knowledge_related",
        user=user,
        params=(page.pk, tuple(theme_ids), limit),
        compute=lambda: _related_ids(page, theme_ids, user=user, limit=limit),
        depends_on=("selection:knowledge.knowledgepage",),
    )
    found = pages_visible_to(KnowledgePage.objects.filter(pk__in=chosen), user=user)
    found = with_card_relations(found)
    by_pk = {p.pk: p for p in found}
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def _related_ids(page, theme_ids, *, user, limit) -> list[int]:
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
