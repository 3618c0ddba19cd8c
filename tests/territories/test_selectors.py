import pytest

from territories.models import Commune
from territories.selectors import TerritoryMatch, territory_details, territory_search

pytestmark = pytest.mark.django_db


def codes(query, **kwargs):
    return [match.code for match in territory_search(query, **kwargs)]


@pytest.mark.parametrize(
    "query", ["saint malo", "SAINT MALO", "Saint-Malo", "saint-malo", "St Malo"]
)
def test_search_ignores_case_hyphens_and_abbreviations(small_referential, query):
    assert codes(query)[0] == "35288"


def test_search_ignores_accents(small_referential):
    assert codes("gerardmer")[0] == "88196"
    assert codes("GÉRARDMER")[0] == "88196"
    assert "88196" in codes("gérard")


def test_search_ranks_exact_then_prefix_then_population(small_referential):
    # Exact name first, then "starts with", then a word of the name.
    assert codes("saint malo") == ["35288", "35289", "243500782"]
    # Among prefixes, the larger population first.
    assert codes("saint")[:2] == ["35288", "35289"]


def test_search_returns_matches_of_every_kind(small_referential):
    results = territory_search("lannion")
    assert results[0] == TerritoryMatch(
        kind="commune",
        code="22113",
        name="Lannion",
        label="Lannion (22)",
        detail="Commune · Côtes-d'Armor, Bretagne",
        population=20315,
        rank=0,
    )
    epci = results[1]
    assert (epci.kind, epci.code) == ("epci", "200065928")
    assert epci.detail == "Communauté d'agglomération · Côtes-d'Armor (22)"
    assert [(match.kind, match.code) for match in territory_search("bretagne")] == [
        ("region", "53")
    ]
    department = territory_search("cotes d armor")[0]
    assert (department.kind, department.label) == ("department", "Côtes-d'Armor (22)")


def test_search_by_code(small_referential):
    assert codes("22113") == ["22113"]
    assert codes("212201131") == ["22113"]  # SIREN of the commune.
    assert codes("200065928") == ["200065928"]
    assert codes("22") == ["22"]
    assert codes("53") == ["53"]


def test_search_options_and_edge_cases(small_referential):
    assert codes("malo", kinds=["epci"]) == ["243500782"]
    assert len(territory_search("a", limit=2)) == 2
    assert territory_search("") == []
    assert territory_search(" - ' ") == []
    assert territory_search("lannion", limit=0) == []
    assert territory_search("xyzzy") == []
    # Territories no longer current are not offered.
    Commune.objects.filter(insee_code="35289").update(is_current=False)
    assert codes("saint malo de phily") == []


def test_commune_details_give_its_epci(small_referential):
    assert territory_details("commune", "22113") == {
        "kind": "commune",
        "kind_label": "Commune",
        "name": "Lannion",
        "label": "Lannion (22)",
        "insee_code": "22113",
        "siren": "212201131",
        "population": 20315,
        "is_current": True,
        "department": {"code": "22", "name": "Côtes-d'Armor"},
        "region": {"code": "53", "name": "Bretagne"},
        "epci": {
            "siren": "200065928",
            "name": "CA Lannion-Trégor Communauté",
            "kind": "CA",
            "kind_label": "Communauté d'agglomération",
            "population": 100877,
        },
        "ept": None,
    }
    assert territory_details("commune", "35289")["epci"] is None


def test_epci_details_list_member_communes(small_referential):
    details = territory_details("epci", "200065928")
    assert details["name"] == "CA Lannion-Trégor Communauté"
    assert details["siren"] == "200065928"
    assert details["population"] == 100877
    assert details["epci_kind"] == "CA"
    assert details["epci_kind_label"] == "Communauté d'agglomération"
    assert details["department"] == {"code": "22", "name": "Côtes-d'Armor"}
    assert details["region"] == {"code": "53", "name": "Bretagne"}
    assert details["members"] == [
        {
            "insee_code": "22113",
            "name": "Lannion",
            "siren": "212201131",
            "population": 20315,
        },
        {
            "insee_code": "22168",
            "name": "Perros-Guirec",
            "siren": "212201685",
            "population": 7336,
        },
    ]


def test_department_and_region_details(small_referential):
    department = territory_details("department", "22")
    assert department["label"] == "Côtes-d'Armor (22)"
    assert department["population"] == 20315 + 7336
    assert department["region"] == {"code": "53", "name": "Bretagne"}
    assert department["communes_count"] == 2
    region = territory_details("region", "53")
    assert region["name"] == "Bretagne"
    assert region["departments"] == [
        {"code": "22", "name": "Côtes-d'Armor"},
        {"code": "35", "name": "Ille-et-Vilaine"},
    ]


def test_unknown_territory_details(small_referential):
    assert territory_details("commune", "99999") is None
    assert territory_details("epci", "22113") is None
    assert territory_details("planet", "22113") is None
