"""What can be followed, read through `apps.get_model`: the apps that own these
models never import this one, and this one imports none of them."""

import hashlib
import json

from django.apps import apps
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from following.models import FollowKind
from retex.visibility import pages_visible_to, sees_members_content

# The saved search's filters this app keeps (those of `/recherche/`).
SEARCH_FILTERS = ("kind", "theme", "region", "collectivity_kind", "year")
SEARCH_QUERY_MAX = 200


def theme_model():
    return apps.get_model("retex", "Theme")


def collectivity_model():
    return apps.get_model("members", "CollectivityPage")


def question_model():
    return apps.get_model("aid", "Question")


def clean_filters(filters: dict) -> dict:
    """Only known filters, as short strings, in a stable order."""
    cleaned = {}
    for name in SEARCH_FILTERS:
        value = filters.get(name)
        if value in (None, ""):
            continue
        value = str(value)[:80]
        cleaned[name] = value
    return cleaned


def follow_key(kind: str, *, object_id=None, query="", filters=None) -> str:
    if kind == FollowKind.SEARCH:
        canonical = json.dumps(
            [" ".join(query.split()).lower(), clean_filters(filters or {})],
            sort_keys=True,
            ensure_ascii=False,
        )
        return "search:" + hashlib.sha256(canonical.encode()).hexdigest()[:40]
    return f"{kind}:{int(object_id)}"


def followable(kind: str, object_id: int, user):
    """The object this person may follow (seen by them), or None."""
    if kind == FollowKind.THEME:
        return theme_model().objects.filter(pk=object_id).first()
    if kind == FollowKind.COLLECTIVITY:
        return (
            pages_visible_to(collectivity_model().objects.all(), user=user)
            .filter(pk=object_id)
            .first()
        )
    if kind == FollowKind.QUESTION:
        if not sees_members_content(user):
            return None
        return question_model().objects.filter(pk=object_id, hidden=False).first()
    return None


def search_url(query: str, filters: dict) -> str:
    params = {"q": query, **clean_filters(filters)} if query else clean_filters(filters)
    return reverse("search") + ("?" + urlencode(params) if params else "")


def describe_follows(follows, user) -> list[dict]:
    """Each follow with a label and a link, in three queries whatever their number.

    A followed page the person may no longer see is listed without its title."""
    ids = {kind: [] for kind in FollowKind.values}
    for follow in follows:
        if follow.object_id is not None:
            ids[follow.kind].append(follow.object_id)
    themes = theme_model().objects.in_bulk(ids[FollowKind.THEME])
    collectivities = pages_visible_to(
        collectivity_model().objects.filter(pk__in=ids[FollowKind.COLLECTIVITY]),
        user=user,
    ).in_bulk()
    questions = (
        question_model().objects.filter(hidden=False).in_bulk(ids[FollowKind.QUESTION])
        if ids[FollowKind.QUESTION] and sees_members_content(user)
        else {}
    )
    described = []
    for follow in follows:
        label, url = _("(plus accessible)"), None
        if follow.kind == FollowKind.THEME and follow.object_id in themes:
            theme = themes[follow.object_id]
            label = theme.name
            url = reverse("search") + "?" + urlencode({"theme": theme.slug})
        elif (
            follow.kind == FollowKind.COLLECTIVITY
            and follow.object_id in collectivities
        ):
            page = collectivities[follow.object_id]
            label, url = page.title, page.url
        elif follow.kind == FollowKind.QUESTION and follow.object_id in questions:
            question = questions[follow.object_id]
            label, url = question.title, question.get_absolute_url()
        elif follow.kind == FollowKind.SEARCH:
            label = search_label(follow.query, follow.filters)
            url = search_url(follow.query, follow.filters)
        described.append(
            {
                "follow": follow,
                "kind_label": follow.get_kind_display(),
                "label": label,
                "url": url,
            }
        )
    return described


FILTER_LABELS = {
    "kind": gettext_lazy("type"),
    "theme": gettext_lazy("thème"),
    "region": gettext_lazy("région"),
    "collectivity_kind": gettext_lazy("type de collectivité"),
    "year": gettext_lazy("année"),
}


def search_label(query: str, filters: dict) -> str:
    """« tiers-lieux » (région : 53): what the saved search looks for."""
    parts = [f"« {query} »"] if query else [_("tout")]
    details = ", ".join(
        f"{FILTER_LABELS[name]} : {value}"
        for name, value in clean_filters(filters).items()
    )
    if details:
        parts.append(f"({details})")
    return " ".join(parts)
