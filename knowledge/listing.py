"""`/ressources/`: the listing's context (filters, page of results), built for
`KnowledgeIndexPage.get_context`; a module of its own so that models never
import views."""

from django.core.paginator import Paginator
from django.http import QueryDict

from knowledge.forms import KnowledgeFilterForm
from knowledge.selectors import knowledge_listing, knowledge_years
from retex.page_cache import depends_on, remember_for_visibility

PAGE_SIZE = 12


def listing_context(request, *, index_page) -> dict:
    """Context of `/ressources/`: filter form, the page of results, the query
    string to keep filters across pagination."""
    # Reads every visible page: shared by all who see the same pages, until a
    # knowledge page is added, removed, or its publication date or status
    # changes (its `cache_selection_fields`).
    years = remember_for_visibility(
        "knowledge_years",
        user=request.user,
        compute=lambda: knowledge_years(user=request.user),
        depends_on=("selection:knowledge.knowledgepage",),
    )
    form = KnowledgeFilterForm(request.GET or None, years=years)
    filters = form.valid_filters() if form.is_bound else {}
    pages = knowledge_listing(user=request.user, filters=filters)
    # Which pages match a filter on collectivities: the pages' collectivities,
    # any collectivity's kind or region.
    by_collectivity = "collectivity_kind" in filters or "region" in filters
    matching = ("selection:knowledge.knowledgepage",)
    if by_collectivity:
        matching += ("kind:knowledge.knowledgepage", "kind:members.collectivitypage")
        depends_on(request, "kind:members.collectivitypage")
    # The page's ids only: the cards not kept in the fragment cache read their
    # pages (`knowledge.cards`).
    paginator = Paginator(pages.values_list("pk", flat=True), PAGE_SIZE)
    # The count for the pagination scans every matching visible page (about
    # 10 ms at 20,000 pages on SQLite): shared like the years, until what
    # decides which pages match changes.
    paginator.count = remember_for_visibility(
        "knowledge_count",
        user=request.user,
        compute=pages.count,
        params=_filter_key(filters),
        depends_on=matching,
    )
    items = paginator.get_page(request.GET.get("page"))
    # The cards' pages and the collectivities they name are added as the cards
    # are rendered (`knowledge.cards`).
    kept = QueryDict(mutable=True)
    for name in form.fields:
        if name in filters:
            kept[name] = request.GET.get(name)
    return {
        "filter_form": form,
        "items": items,
        "filtered": bool(filters),
        "extra_query": kept.urlencode(),
    }


def _filter_key(filters: dict) -> tuple:
    """The valid filters as plain values (a theme by its id)."""
    return tuple(
        sorted((name, getattr(value, "pk", value)) for name, value in filters.items())
    )
