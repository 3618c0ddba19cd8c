"""The members' map (members/map.py, includes/members_map.html)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.map import anchor, build_map, geometry
from members.models import CollectivityKind
from members.territories import Region
from territories.map_data import parse_path, read_map
from tests.factories import CollectivityPageFactory
from tests.helpers import publish
from tests.html import visible_text

LINK = re.compile(
    r'<a href="([^"]+)"><title>([^<]+)</title><circle cx="([-\d.]+)" cy="([-\d.]+)"'
)


def map_links(html: str) -> dict[str, tuple[str, float, float]]:
    figure = html[html.index('<figure class="members-map') :]
    figure = figure[: figure.index("</figure>")]
    return {
        title: (url, float(x), float(y)) for url, title, x, y in LINK.findall(figure)
    }


def test_anchors_keep_france_in_its_place():
    brest, strasbourg = anchor("29", ""), anchor("67", "")
    lille, marseille = anchor("59", ""), anchor("13", "")
    assert brest[0] < strasbourg[0]  # Brest west of Strasbourg
    assert lille[1] < marseille[1]  # Lille north of Marseille (y grows down)
    ajaccio = anchor("2A", "")
    assert ajaccio[0] > marseille[0] and ajaccio[1] > marseille[1]


def test_overseas_departments_are_drawn_in_their_insets():
    drawing = geometry()
    insets = {inset["code"]: inset for inset in drawing["insets"]}
    assert set(insets) == {"971", "972", "973", "974", "976"}
    guadeloupe = insets["971"]
    x, y = anchor("971", "")
    assert guadeloupe["x"] < x < guadeloupe["x"] + guadeloupe["width"]
    assert guadeloupe["y"] < y < guadeloupe["y"] + guadeloupe["height"]
    # Below metropolitan France, inside the drawing.
    assert guadeloupe["y"] > read_map()["height"]
    assert y < drawing["height"]
    # A region without department (Région Guadeloupe) goes to the same inset.
    assert anchor("", Region.GUADELOUPE) == (x, y)


def test_a_region_is_drawn_among_its_departments_and_unknown_places_are_not():
    rennes_region = anchor("", Region.BRETAGNE)
    assert anchor("29", "")[0] < rennes_region[0] < anchor("35", "")[0] + 1
    assert anchor("", "") is None
    assert anchor("99", "") is None


def test_outlines_are_the_96_metropolitan_departments():
    data = read_map()
    assert len(data["departments"]) == 96
    assert data["source"]["license"] == "CC-BY-4.0"
    for department in data["departments"].values():
        assert parse_path(department["path"].replace("M", "m")) or True
    with pytest.raises(ValueError):
        parse_path("m 0,0 c 1,1 2,2 3,3 z")


@pytest.mark.django_db
def test_members_of_one_department_do_not_hide_each_other(section):
    members = section("membres")
    pages = [
        CollectivityPageFactory(parent=members, department="35", title=f"Ville {n}")
        for n in range(4)
    ]
    points = build_map(pages)["points"]
    assert len({(p["x"], p["y"]) for p in points}) == 4


@pytest.fixture
def directory(section):
    members = section("membres")
    places = [
        ("Ville de Brest", "29", Region.BRETAGNE, CollectivityKind.COMMUNE),
        (
            "Eurométropole de Strasbourg",
            "67",
            Region.GRAND_EST,
            CollectivityKind.METROPOLE,
        ),
        ("Ville de Pointe-à-Pitre", "971", Region.GUADELOUPE, CollectivityKind.COMMUNE),
        ("Région Bretagne", "", Region.BRETAGNE, CollectivityKind.REGION),
    ]
    pages = {}
    for title, department, region, kind in places:
        pages[title] = publish(
            CollectivityPageFactory(
                parent=members,
                title=title,
                department=department,
                region=region,
                kind=kind,
            )
        )
    # A draft is never drawn.
    CollectivityPageFactory(
        parent=members,
        title="Commune brouillon",
        live=False,
        department="13",
        region=Region.PACA,
    )
    return pages


@pytest.mark.django_db
def test_directory_map_links_every_listed_member_to_its_profile(client, directory):
    html = client.get("/membres/").content.decode()
    links = map_links(html)
    assert set(links) == set(directory)
    assert links["Ville de Brest"][0] == directory["Ville de Brest"].url
    assert links["Ville de Brest"][1] < links["Eurométropole de Strasbourg"][1]
    assert "Commune brouillon" not in html
    text = visible_text(html)
    assert "4 collectivités sur la carte." in text
    assert 'href="#members-list"' in html and 'id="members-list"' in html


@pytest.mark.django_db
def test_directory_map_follows_the_filters(client, directory):
    html = client.get("/membres/", {"region": Region.BRETAGNE}).content.decode()
    assert set(map_links(html)) == {"Ville de Brest", "Région Bretagne"}
    html = client.get("/membres/", {"kind": "metropole"}).content.decode()
    assert set(map_links(html)) == {"Eurométropole de Strasbourg"}


@pytest.mark.django_db
def test_map_draws_nothing_from_elsewhere(client, directory):
    html = client.get("/membres/").content.decode()
    figure = html[html.index('<figure class="members-map') : html.index("</figure>")]
    assert "http://" not in figure and "https://" not in figure
    assert "//" not in re.sub(r'href="/[^/"][^"]*"', "", figure)


@pytest.mark.django_db
def test_directory_query_count_does_not_grow_with_members(client, section, directory):
    def count():
        cache.clear()  # the page cache would answer without the map's query
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/membres/").status_code == 200
        return len(queries)

    count()  # warms what every page caches for the process (site root paths)
    before = count()
    members = section("membres")
    for n in range(6):
        publish(
            CollectivityPageFactory(
                parent=members,
                title=f"Commune {n}",
                department=["22", "29", "35", "56"][n % 4],
            )
        )
    assert count() == before


@pytest.mark.django_db
def test_home_page_shows_the_map_of_public_members(client, home_page, directory):
    html = client.get("/").content.decode()
    assert set(map_links(html)) == set(directory)
    assert "Commune brouillon" not in html
    assert 'href="/membres/"' in html


@pytest.mark.django_db
def test_a_profile_shows_where_the_collectivity_is(client, directory):
    page = directory["Ville de Pointe-à-Pitre"]
    html = client.get(page.url).content.decode()
    figure = html[html.index('<figure class="members-map') :]
    figure = figure[: figure.index("</figure>")]
    assert "members-map__point--self" in figure
    assert "Situation de la Ville de Pointe-à-Pitre sur la carte de France" in figure
    assert "Guadeloupe (971)" in visible_text(figure)
    assert "<a " not in figure
