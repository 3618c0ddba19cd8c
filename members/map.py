"""The members' map: where each collectivity is drawn on the map of France.

Outlines and anchor points come from `territories/data/map.json` (built from an
openly licensed npm package, see `territories/data/README.md`): metropolitan
departments in the package's plane, the five overseas departments as labelled
insets under it. A collectivity is drawn at its department's point (a region's
at the middle of its departments); several in the same place are spread on a
small spiral so each stays visible and clickable. No external request, no tile.

`build_map` works on collectivities already fetched (no query of its own);
`map_collectivities` fetches a queryset's in one query.
"""

import dataclasses
import functools
import math
import re

from django.contrib.auth.models import AnonymousUser
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from members.territories import DEPARTMENT_REGIONS, Region, department_label
from territories.map_data import read_map

OVERSEAS = [
    ("971", _("Guadeloupe")),
    ("972", _("Martinique")),
    ("973", _("Guyane")),
    ("974", _("La Réunion")),
    ("976", _("Mayotte")),
]
INSET_GAP = 12
INSET_HEIGHT = 64
LABEL_HEIGHT = 22
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPREAD = 11.0  # points have a radius of 6: neighbours barely touch


@functools.cache
def geometry() -> dict:
    """Size of the drawing, department outlines and overseas insets: built once
    per process from the shipped map file (read only by callers)."""
    data = read_map()
    width, height = data["width"], data["height"]
    top = height + INSET_GAP
    inset_width = (width - INSET_GAP * (len(OVERSEAS) - 1)) / len(OVERSEAS)
    insets = []
    for index, (code, name) in enumerate(OVERSEAS):
        x = index * (inset_width + INSET_GAP)
        insets.append(
            {
                "code": code,
                "name": name,
                "x": round(x, 1),
                "y": top,
                "width": round(inset_width, 1),
                "height": INSET_HEIGHT,
                "label_x": round(x + inset_width / 2, 1),
                "label_y": top + INSET_HEIGHT + LABEL_HEIGHT - 6,
                "point": (
                    round(x + inset_width / 2, 1),
                    round(top + INSET_HEIGHT / 2, 1),
                ),
            }
        )
    return {
        "width": width,
        "height": top + INSET_HEIGHT + LABEL_HEIGHT,
        "outlines": [d["path"] for d in data["departments"].values()],
        "insets": insets,
    }


@functools.lru_cache(maxsize=1024)
def anchor(department: str, region: str) -> tuple[float, float] | None:
    """Where a collectivity of this department (or, without one, region) is
    drawn, in the map's coordinates; None when it cannot be placed. Computed
    once per place in each process (the map file is shipped with the code)."""
    departments = read_map()["departments"]
    code = (department or "").strip().upper()
    insets = {inset["code"]: inset["point"] for inset in geometry()["insets"]}
    if code in insets:
        return insets[code]
    if code in departments:
        return tuple(departments[code]["point"])
    if region:
        codes = [c for c, r in DEPARTMENT_REGIONS.items() if r == region]
        if len(codes) == 1 and codes[0] in insets:
            return insets[codes[0]]
        points = [departments[c]["point"] for c in codes if c in departments]
        if points:
            return (
                round(sum(p[0] for p in points) / len(points), 1),
                round(sum(p[1] for p in points) / len(points), 1),
            )
    return None


def build_map(collectivities, *, request=None) -> dict:
    """The drawing for these collectivities (pages, or `_Row`s): each placed
    one gets `title`, `url`, `x`, `y`, `place` (its department or region, for
    its label); `unplaced` counts those without a department or region."""
    points, unplaced = [], 0
    crowd: dict[tuple, int] = {}
    url_of = _urls(request)
    regions = dict(Region.choices)
    for page in collectivities:
        spot = anchor(page.department or "", page.region or "")
        if spot is None:
            unplaced += 1
            continue
        rank = crowd.get(spot, 0)
        crowd[spot] = rank + 1
        radius = SPREAD * math.sqrt(rank)
        x = spot[0] + radius * math.cos(rank * GOLDEN_ANGLE)
        y = spot[1] + radius * math.sin(rank * GOLDEN_ANGLE)
        place = (
            department_label(page.department)
            if page.department
            else regions.get(page.region, page.region)
        )
        points.append(
            {
                "title": page.title,
                "url": url_of(page),
                # Whole units: the drawing is 613 wide, shown at most 640 px
                # wide, and points are 12 across.
                "x": round(x),
                "y": round(y),
                "place": place,
            }
        )
    return {
        **geometry(),
        "points": points,
        "unplaced": unplaced,
        "land_markup": land_markup(get_language()),
        "point_links": _point_links(points),
    }


@functools.lru_cache(maxsize=8)
def land_markup(language: str) -> SafeString:
    """The departments' outlines and the overseas insets, as SVG: the same on
    every map, written once per process and language. Outlines in whole units
    (half a pixel at most at the largest size the map is shown), each point
    relative to the previous one: about a third of the file's absolute
    tenths."""
    shapes = geometry()
    outlines = "".join(f'<path d="{compact_path(d)}"/>' for d in shapes["outlines"])
    insets = "".join(
        f'<rect x="{i["x"]:g}" y="{i["y"]:g}" width="{i["width"]:g}" '
        f'height="{i["height"]:g}" rx="6"/><text x="{i["label_x"]:g}" '
        f'y="{i["label_y"]:g}">{escape(str(i["name"]))}</text>'
        for i in shapes["insets"]
    )
    return SafeString(outlines + insets)


_PATH_TOKEN = re.compile(r"[MZ]|-?\d+(?:\.\d+)?")


def compact_path(path: str) -> str:
    """`path` (absolute `M` and `Z` commands, as the map file has them) with
    whole-unit coordinates, each point but a subpath's first relative to the
    previous one, repeated points dropped. A vertex two departments share is
    rounded the same in both: their borders still meet."""
    parts = []
    numbers: list[float] = []

    def subpath():
        points = [
            (round(numbers[i]), round(numbers[i + 1]))
            for i in range(0, len(numbers) - 1, 2)
        ]
        numbers.clear()
        kept = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
        if len(kept) < 3:
            return
        (x, y), steps = kept[0], []
        for px, py in kept[1:]:
            steps.append(_pair(px - x, py - y))
            x, y = px, py
        parts.append(f"M{kept[0][0]} {kept[0][1]}l{''.join(steps).lstrip()}z")

    for token in _PATH_TOKEN.findall(path):
        if token in ("M", "Z"):
            subpath()
        else:
            numbers.append(float(token))
    subpath()
    return "".join(parts)


def _pair(dx: int, dy: int) -> str:
    # A minus sign separates numbers as well as a space does.
    return f"{' ' if dx >= 0 else ''}{dx}{' ' if dy >= 0 else ''}{dy}"


def _point_links(points) -> SafeString:
    """Each point as a link to its profile, written here rather than by a
    template loop over 1,500 points. As little markup as a link needs: its
    name in `<title>` (the link's accessible name and tooltip), the circle's
    centre; class, radius and colours come from the group and the style
    sheet (`css/map.css`)."""
    return SafeString(
        "".join(
            f'<a href="{escape(p["url"] or "")}"><title>{escape(p["title"])}'
            f'</title><circle cx="{p["x"]}" cy="{p["y"]}" r="6"/></a>'
            for p in points
        )
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _Row:
    """What the map reads of a collectivity, without building the page."""

    pk: int
    title: str
    slug: str
    url_path: str
    department: str
    region: str

    def get_url(self, request=None):
        return Page.objects.get(pk=self.pk).get_url(request)


def _urls(request):
    """`page.get_url(request)`, asked of Wagtail once per parent: a page's URL
    is its parent's followed by its slug (collectivities route no other way),
    and Wagtail's look-up of the site's root for each of 1,500 points cost
    more than the rest of the map."""
    parents: dict[str, str | None] = {}

    def url_of(page) -> str | None:
        parent_path = page.url_path[: -len(page.slug) - 1]
        if parent_path not in parents:
            url = page.get_url(request)
            suffix = page.slug + "/"
            parents[parent_path] = (
                url[: -len(suffix)] if url and url.endswith("/" + suffix) else None
            )
            return url
        parent_url = parents[parent_path]
        if parent_url is None:
            return page.get_url(request)
        return parent_url + page.slug + "/"

    return url_of


def map_collectivities(queryset, *, request=None) -> dict:
    """One query, whatever the number of collectivities (and one per parent
    page for its URL): rows, not pages, are read."""
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .order_by("title", "pk")
        .values_list("pk", "title", "slug", "url_path", "department", "region")
    )
    return build_map([_Row(*row) for row in rows], request=request)


def members_map(*, user=None) -> dict:
    """The home page's map: the collectivities the directory lists to anybody
    (like `member_stats`, the same for everyone)."""
    from members.selectors import directory_queryset

    return map_collectivities(directory_queryset(user=AnonymousUser(), filters={}))
