from django import template

from members.map import build_map, map_collectivities

register = template.Library()


@register.inclusion_tag("includes/members_map.html", takes_context=True)
def members_map(context, collectivities, list_anchor=""):
    """The map of these collectivities (a queryset: fetched in one query).
    `list_anchor` is the id of the list it stands for, linked right after it."""
    return {
        "map": map_collectivities(collectivities, request=context.get("request")),
        "list_anchor": list_anchor,
        "map_id": "members-map",
    }


@register.inclusion_tag("includes/members_map.html", takes_context=True)
def collectivity_location(context, page):
    """A profile's small map: its own point, not a link."""
    return {
        "map": build_map([page], request=context.get("request")),
        "single": page,
        "map_id": "collectivity-map",
    }
