"""`{% follow_state kind object_id as followed %}` for the follow button."""

from django import template

from following.follows import is_following
from following.kinds import SEARCH_FILTERS

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, kind, object_id=None):
    """Whether the signed-in person follows this (a search: the request's
    query and filters), with the fields the button's form posts."""
    request = context.get("request")
    user = getattr(request, "user", None)
    query, filters = "", {}
    if kind == "search" and request is not None:
        query = " ".join(request.GET.get("q", "").split())[:200]
        filters = {
            name: request.GET[name] for name in SEARCH_FILTERS if request.GET.get(name)
        }
    followed = bool(
        user
        and user.is_authenticated
        and (kind == "search" or object_id)
        and is_following(user, kind, object_id=object_id, query=query, filters=filters)
    )
    return {
        "followed": followed,
        "query": query,
        "filters": [(f"f_{name}", value) for name, value in filters.items()],
        "empty_search": kind == "search" and not query and not filters,
    }
