import datetime

from django.db.models import Prefetch, Q

from knowledge.models import Interviewee, KnowledgePage, RelatedSelection
from retex.images import renditions_prefetch
from retex.page_cache import depends_on
from retex.visibility import page_restrictions_failed, pages_visible_to


def knowledge_listing(*, user, filters: dict | None = None):
    """Knowledge pages this person may read, newest first, with the rows a
    listing card reads joined (`with_card_rows`; the cards' other relations are
    fetched by `knowledge.cards` for the cards it renders: a constant number of
    queries per page)."""
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
    # Cards are rendered by `knowledge.cards`, which fetches the rest of what
    # they show for those not kept in the fragment cache only.
    return with_card_rows(pages).order_by(
        "-publication_date", "-first_published_at", "-pk"
    )


def with_card_relations(pages):
    """What a card shows (knowledge/includes/card.html), fetched with the pages:
    the illustration, the themes, an interview's people with their portraits, a
    practice's collectivity with its logo; each in one query for all the cards
    (a query is skipped when no card needs it)."""
    return with_card_rows(pages).prefetch_related(*card_prefetches())


def with_card_rows(pages):
    """The rows a card reads joined to the pages (the illustration, the
    interview's or practice's own row); the rest, `card_prefetches()`, is
    fetched by `knowledge.cards` for the cards it must render."""
    return pages.select_related("hero_image", "interviewpage", "practicepage")


def card_prefetches() -> list:
    """What `with_card_rows` leaves to fetch for a card, as prefetches (also
    usable on a list of pages with `prefetch_related_objects`)."""
    from members.models import CollectivityPage

    people = Interviewee.objects.select_related("portrait", "collectivity")
    collectivities = CollectivityPage.objects.select_related("logo")
    return [
        "themes",
        renditions_prefetch("hero_image", "card"),
        Prefetch("interviewpage__interviewees", queryset=people),
        renditions_prefetch("interviewpage__interviewees__portrait", "portrait"),
        Prefetch("practicepage__collectivity", queryset=collectivities),
        renditions_prefetch("practicepage__collectivity__logo", "logo"),
    ]


def knowledge_years(*, user) -> list[int]:
    """Publication years that have at least one visible page, newest first.

    The newest visible page, then the newest published before its year, and so
    on: one look-up down the publication date's index per year shown, rather
    than reading the date of every page (20,000 at the benchmark's scale). The
    statement is built once and run again with each year's bound: building the
    visibility rule's subquery costs the ORM more than the look-up costs the
    database."""
    from django.db import connections

    pages = pages_visible_to(KnowledgePage.objects.all(), user=user)
    newest_before = (
        pages.filter(publication_date__lte=datetime.date.max)
        .order_by("-publication_date")
        .values_list("publication_date", flat=True)[:1]
    )
    connection = connections[newest_before.db]
    sql, params = newest_before.query.sql_with_params()
    params = list(params)
    bound = params.index(connection.ops.adapt_datefield_value(datetime.date.max))
    years = []
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                return years
            # A date, or its ISO text on SQLite.
            years.append(int(str(row[0])[:4]))
            if years[-1] == datetime.MINYEAR:
                return years
            params[bound] = connection.ops.adapt_datefield_value(
                datetime.date(years[-1] - 1, 12, 31)
            )


def knowledge_latest(*, user, limit: int = 3) -> list[int]:
    """The ids of the newest knowledge pages this person may read (their cards
    are rendered by `knowledge.cards`, which reads the pages it must)."""
    return list(knowledge_listing(user=user).values_list("pk", flat=True)[:limit])


def knowledge_latest_dependencies() -> tuple[str, ...]:
    """What the home page's latest resources show (`home_cache_dependencies`):
    knowledge pages, and the collectivities their cards name."""
    return ("kind:knowledge.knowledgepage", "kind:members.collectivitypage")


def knowledge_related(
    page: KnowledgePage, *, user, limit: int = 3, stored: bool = True, request=None
):
    """Other pages sharing the most themes with `page`, then the newest.

    Read from the choice stored when pages were written (`knowledge.related`),
    filtered by what `user` may see: one query, and its cards' themes and
    images. Chosen now for a preview (`stored=False`: its themes may not be
    saved) or a page whose choice is not stored yet; then the page also depends
    on any change to which knowledge pages exist (`request`, page cache)."""
    from django.contrib.auth.models import AnonymousUser

    from knowledge.related import choose_now

    user = user or AnonymousUser()
    if stored:
        # A handful of rows: the view restrictions are checked on their paths
        # here rather than by the visibility subquery (`page_restrictions_failed`
        # is the same rule as `pages_visible_to`).
        stored_pages = _cards(
            KnowledgePage.objects.live()
            .filter(related_of__page=page)
            .order_by("related_of__rank")
        )
        found = [p for p in stored_pages if not page_restrictions_failed(p, user)]
        if found or RelatedSelection.objects.filter(page=page).exists():
            return found[:limit]
    # Through .all(): a preview's page holds its themes in memory, not in the DB.
    theme_ids = sorted(theme.pk for theme in page.themes.all())
    if not theme_ids:
        return []
    if request is not None:
        depends_on(request, "selection:knowledge.knowledgepage")
    chosen = choose_now(page, theme_ids, user=user, limit=limit)
    by_pk = {p.pk: p for p in _cards(KnowledgePage.objects.filter(pk__in=chosen))}
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def _cards(pages):
    """The rows a card of a related page reads (`knowledge.cards` fetches the
    rest for the cards it renders)."""
    return with_card_rows(pages)


def card_collectivity_ids(page) -> set[int]:
    """The collectivities a page's card names (a practice's, the people of an
    interview's), read from what `with_card_relations` fetched."""
    from django.core.exceptions import ObjectDoesNotExist

    found = set()
    try:
        practice = page.practicepage
    except ObjectDoesNotExist:
        practice = None
    if practice is not None and practice.collectivity_id:
        found.add(practice.collectivity_id)
    try:
        interview = page.interviewpage
    except ObjectDoesNotExist:
        interview = None
    if interview is not None:
        found.update(
            person.collectivity_id
            for person in interview.interviewees.all()
            if person.collectivity_id
        )
    return found


def card_dependencies(pages) -> list[str]:
    """What cards of `pages` show, as page cache tags: each page and the
    collectivities its card names (`retex.page_cache.depends_on`)."""
    tags = []
    for page in pages:
        tags.append(f"page:{page.pk}")
        tags.extend(f"page:{pk}" for pk in card_collectivity_ids(page))
    return tags
