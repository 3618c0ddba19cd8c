"""The shipped extract, loaded once for the module (`full_referential`)."""

import pytest

from territories.models import Commune, Department, Epci, EpciKind, Region
from territories.selectors import territory_details, territory_search

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Department, Epci, Commune)
    }


def codes(query, **kwargs):
    return [match.code for match in territory_search(query, **kwargs)]


def test_loads_the_shipped_extract(full_referential):
    output = full_referential
    assert "Regions: 18 current (18 new" in output
    assert "Departments: 101 current (101 new" in output
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Commune.objects.count() > 34_000
    assert Epci.objects.exclude(kind=EpciKind.EPT).count() > 1_200
    assert Epci.objects.filter(kind=EpciKind.EPT).count() == 11

    lannion = Commune.objects.select_related("department", "region", "epci").get(
        insee_code="22113"
    )
    assert lannion.name == "Lannion"
    assert (lannion.department.code, lannion.department.name) == ("22", "Côtes-d'Armor")
    assert (lannion.region.code, lannion.region.name) == ("53", "Bretagne")
    assert lannion.epci.name == "CA Lannion-Trégor Communauté"
    assert lannion.epci.siren == "200065928"
    assert len(lannion.siren) == 9
    assert lannion.population > 15_000

    lyon = Epci.objects.get(name="Métropole de Lyon")
    assert lyon.kind == EpciKind.MET69
    assert lyon.department.code == "69"
    assert lyon.communes.filter(insee_code="69123").exists()
    assert lyon.communes.count() > 50

    # Grand Paris: a métropole plus an EPT for each commune outside Paris.
    saint_denis = Commune.objects.get(insee_code="93066")
    assert saint_denis.epci.name == "Métropole du Grand Paris"
    assert saint_denis.ept.kind == EpciKind.EPT

    # Current communes only: no municipal arrondissement, no delegated commune.
    assert not Commune.objects.filter(
        insee_code__in=["75101", "13201", "22007"]
    ).exists()
    # Official figures: every population is known, and the only communes without
    # inhabitants are the six "villages morts pour la France" near Verdun.
    assert not Commune.objects.filter(population__isnull=True).exists()
    assert set(
        Commune.objects.filter(population=0).values_list("department__code", flat=True)
    ) == {"55"}
    for model in (Region, Department, Epci):
        assert not model.objects.filter(population__isnull=True).exists()
        assert not model.objects.filter(population=0).exists()
    # Every commune of the mainland has an EPCI but four single-commune islands.
    assert set(
        Commune.objects.filter(epci__isnull=True).values_list("name", flat=True)
    ) == {"Île-de-Bréhat", "Île-de-Sein", "Ouessant", "L'Île-d'Yeu"}


def test_loading_it_again_changes_nothing(full_referential, load):
    before = counts()
    output = load()
    assert counts() == before
    for label in ("Regions", "Departments", "EPCI/EPT", "Communes"):
        assert f"{label}: " in output
    assert output.count("(0 new, 0 updated, 0 no longer current)") == 4
    assert not Commune.objects.filter(is_current=False).exists()


def test_search_and_details(full_referential):
    for query in ("saint malo", "SAINT MALO", "Saint-Malo", "st-malo"):
        assert codes(query)[0] == "35288"
    assert codes("gerardmer")[0] == "88196"
    assert codes("lyon")[:2] == ["69123", "200046977"]  # Lyon, Métropole de Lyon.

    lannion = territory_details("commune", "22113")
    assert lannion["epci"]["name"] == "CA Lannion-Trégor Communauté"
    assert lannion["department"] == {"code": "22", "name": "Côtes-d'Armor"}
    assert lannion["region"] == {"code": "53", "name": "Bretagne"}

    agglomeration = territory_details("epci", lannion["epci"]["siren"])
    members = {member["insee_code"] for member in agglomeration["members"]}
    assert {"22113", "22168"} <= members
    assert len(members) > 50

    plaine_commune = territory_details("commune", "93066")["ept"]
    assert plaine_commune["kind_label"] == "Établissement public territorial"
    assert len(territory_details("epci", plaine_commune["siren"])["members"]) > 5
