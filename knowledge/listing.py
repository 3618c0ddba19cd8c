"""`/ressources/`: the listing's context (filters, page of results), built for
`KnowledgeIndexPage.get_context`; a module of its own so that models never
import views."""

from django.http import QueryDict

from knowledge.forms import KnowledgeFilterForm
from knowledge.selectors import knowledge_listing, knowledge_years
from retex.page_cache import depends_on, remember_for_visibility
from retex.pagination import paginate

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
    items = paginate(
        request,
        knowledge_listing(user=request.user, filters=filters),
        per_page=PAGE_SIZE,
    )
    # The cards' pages and the collectivities they name are added as the cards
    # are rendered (`knowledge.cards`); which pages match a filter on
    # collectivities, any collectivity's kind or region.
    if "collectivity_kind" in filters or "region" in filters:
        depends_on(request, "kind:members.collectivitypage")
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
