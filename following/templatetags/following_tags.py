"""The follow button: `{% follow_button kind object_id label %}` (through
`following/follow_button.html`), and `{% follow_state %}` inside it."""

from django import template

from following.follows import is_following
from following.kinds import SEARCH_FILTERS
from retex.page_cache import personal_include

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_button(context, kind, object_id=None, label=""):
    """The person's own follow button: their state (« Suivre » / « Ne plus
    suivre ») and their CSRF token, or the invitation to sign in.

    A personal part (`retex.page_cache.personal_include`): on a page that
    signed-in people share, the stored copy holds a marker in its place and
    each person gets their own button filled in, so the page is stored for
    members too. Rendered with nothing of the page but these values."""
    return personal_include(
        context.get("request"),
        "following/follow_form.html",
        follow_kind=str(kind),
        follow_id=object_id or None,
        follow_label=str(label or ""),
    )


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
