"""`/recherche/`, `/api/search/` and `/api/search/suggest/`: one search, three faces."""

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members.models import CollectivityKind
from members.territories import Region
from retex.links import absolute_url
from retex.models import Theme
from retex.ratelimit import rate_limited, too_many_requests_json
from search.documents import KIND_LABELS
from search.forms import SearchForm
from search.service import log_query, search, suggest

FACET_TITLES = {
    "kind": "Type",
    "theme": "Thème",
    "region": "Région",
    "collectivity_kind": "Type de collectivité",
    "year": "Année",
}


def _labelled_facets(facets: dict) -> dict:
    themes = dict(Theme.objects.values_list("slug", "name"))
    labels = {
        "kind": KIND_LABELS,
        "theme": themes,
        "region": dict(Region.choices),
        "collectivity_kind": dict(CollectivityKind.choices),
        "year": {},
    }
    return {
        name: [
            {
                "value": value,
                "label": str(labels[name].get(value, value)),
                "count": count,
            }
            for value, count in facets.get(name, [])
        ]
        for name in FACET_TITLES
        if name in facets
    }


def _run(request):
    form = SearchForm(request.GET or None)
    values = form.values()
    result = search(
        text=values["q"],
        user=request.user,
        filters=form.filters(),
        sort=values["sort"],
        page=values["page"],
        exact=bool(values.get("exact")),
    )
    if values["q"] and values["page"] == 1 and not form.filters():
        log_query(values["q"], result.count)
    return form, values, result


@require_GET
def search_page(request):
    form, values, result = _run(request)
    facets = _labelled_facets(result.facets)
    base = QueryDict(mutable=True)
    for name in QUERY_FIELDS:
        if values.get(name) not in (None, "", False) and name not in form.errors:
            base[name] = "1" if values[name] is True else values[name]
    facet_links = {}
    for name, options in facets.items():
        for option in options:
            link = base.copy()
            link.pop("page", None)
            if str(values.get(name) or "") == option["value"]:
                link.pop(name, None)
                option["selected"] = True
            else:
                link[name] = option["value"]
            option["query"] = link.urlencode()
        # An option nothing matches is left out, unless it is the active filter
        # (the way to remove it).
        facet_links[name] = [
            option for option in options if option["count"] or option.get("selected")
        ]
    facet_links = {name: options for name, options in facet_links.items() if options}
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "values": values,
            "result": result,
            "facets": facet_links,
            "facet_titles": FACET_TITLES,
            "base_query": base.urlencode(),
            **_correction_links(base, result),
            **_empty_state(request, values, result),
        },
    )


QUERY_FIELDS = (
    "q",
    "kind",
    "theme",
    "region",
    "collectivity_kind",
    "year",
    "sort",
    "exact",
)


def _correction_links(base: QueryDict, result) -> dict:
    """The query strings of « Vouliez-vous dire … ? » (the correction, filters
    kept) and of « rechercher exactement … » (the words as typed, never
    corrected), when the search has a correction."""
    if not result.correction:
        return {}
    corrected = base.copy()
    corrected["q"] = result.correction
    corrected.pop("exact", None)
    exact = base.copy()
    exact["exact"] = "1"
    return {
        "correction_query": corrected.urlencode(),
        "exact_query": exact.urlencode(),
    }


def _empty_state(request, values: dict, result) -> dict:
    """What the page offers when nothing is found: themes related to the words
    (or every theme), and the mutual-aid space (asking, or how to join)."""
    if not values["q"] or result.count:
        return {}
    from members.affiliation import is_network_member
    from search.analysis import terms

    wanted = set(terms(" ".join(filter(None, [values["q"], result.correction]))))
    themes = list(Theme.objects.order_by("name"))
    related = [theme for theme in themes if wanted & set(terms(theme.name))]
    unfiltered = QueryDict(mutable=True)
    unfiltered["q"] = values["q"]
    return {
        "unfiltered_query": unfiltered.urlencode(),
        "related_themes": related,
        "all_themes": themes if not related else [],
        "may_ask": request.user.is_authenticated and is_network_member(request.user),
    }


@require_GET
@rate_limited("search_api", methods=("GET", "HEAD"), answer=too_many_requests_json)
def search_api(request):
    form, _values, result = _run(request)
    return JsonResponse(
        {
            "query": result.query.text,
            "count": result.count,
            # The corrected words the results are for (`corrected`), or offered.
            "correction": result.correction,
            "corrected": result.corrected,
            "relaxed": result.relaxed,
            "page": result.page,
            "pages": result.pages,
            "results": [
                {
                    "title": r["title"],
                    "url": absolute_url(r["url"]) if r["url"] else "",
                    "kind": r["kind"],
                    "snippet": str(r["snippet"]),
                    "date": r["date"],
                    "themes": r["themes"],
                }
                for r in result.results
            ],
            "facets": _labelled_facets(result.facets),
            "errors": {
                name: [str(e) for e in errors] for name, errors in form.errors.items()
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@rate_limited("search_suggest", methods=("GET", "HEAD"), answer=too_many_requests_json)
def suggest_api(request):
    text = (request.GET.get("q") or "")[:100]
    return JsonResponse(
        {"query": text, "suggestions": suggest(text=text, user=request.user)},
        json_dumps_params={"ensure_ascii": False},
    )
