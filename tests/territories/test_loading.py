import gzip
import json

import pytest
from django.core.management.base import CommandError

from territories.models import Commune, Department, Epci, Region

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Department, Epci, Commune)
    }


def test_loads_the_small_extract(small_referential):
    assert counts() == {"Region": 2, "Department": 3, "Epci": 3, "Commune": 5}
    lannion = Commune.objects.select_related("department", "region", "epci").get(
        insee_code="22113"
    )
    assert str(lannion) == "Lannion (22)"
    assert lannion.search_name == "lannion"
    assert lannion.siren == "212201131"
    assert lannion.population == 20315
    assert lannion.department.code == "22"
    assert lannion.region.name == "Bretagne"
    assert lannion.epci.name == "CA Lannion-Trégor Communauté"
    assert lannion.epci.get_kind_display() == "Communauté d'agglomération"
    assert lannion.is_current
    assert Commune.objects.get(insee_code="35289").epci is None
    # Departments and regions get the population of their communes.
    assert Department.objects.get(code="22").population == 20315 + 7336
    assert Region.objects.get(code="53").population == 20315 + 7336 + 47439 + 1081
    assert str(Department.objects.get(code="22")) == "Côtes-d'Armor (22)"
    assert Epci.objects.get(siren="200096642").department.code == "88"


def test_running_twice_changes_nothing(small_referential, small_extract, write, load):
    before = counts()
    snapshot = list(Commune.objects.values().order_by("pk"))
    output = load("--file", str(write(small_extract)))
    assert counts() == before
    assert list(Commune.objects.values().order_by("pk")) == snapshot
    assert "Communes: 5 current (0 new, 0 updated, 0 no longer current)" in output


def test_updates_in_place_and_retires_vanished_territories(
    small_referential, small_extract, write, load
):
    lannion_pk = Commune.objects.get(insee_code="22113").pk
    # Perros-Guirec "merges" into Lannion, which is renamed and grows.
    small_extract["communes"] = [
        row for row in small_extract["communes"] if row[0] != "22168"
    ]
    small_extract["communes"][0][1] = "Lannion-sur-Mer"
    small_extract["communes"][0][4] = 27651
    small_extract["epci"][0][5] = ["22113"]
    output = load("--file", str(write(small_extract)))
    assert "Communes: 4 current (0 new, 1 updated, 1 no longer current)" in output

    lannion = Commune.objects.get(insee_code="22113")
    assert lannion.pk == lannion_pk  # References from other apps stay valid.
    assert (lannion.name, lannion.search_name) == ("Lannion-sur-Mer", "lannion sur mer")
    assert lannion.population == 27651
    perros = Commune.objects.get(insee_code="22168")  # Kept, but flagged.
    assert not perros.is_current
    assert Commune.objects.filter(is_current=True).count() == 4


def test_a_territory_coming_back_is_current_again(
    small_referential, small_extract, write, load
):
    reduced = {
        **small_extract,
        "communes": [row for row in small_extract["communes"] if row[0] != "35289"],
    }
    load("--file", str(write(reduced, "reduced.json.gz")))
    assert not Commune.objects.get(insee_code="35289").is_current
    output = load("--file", str(write(small_extract)))
    assert Commune.objects.get(insee_code="35289").is_current
    assert "Communes: 5 current (0 new, 1 updated, 0 no longer current)" in output


def test_accepts_plain_json(db, small_extract, tmp_path, load):
    path = tmp_path / "extract.json"
    path.write_text(json.dumps(small_extract), encoding="utf-8")
    load("--file", str(path))
    assert Commune.objects.count() == 5


# --- Errors ------------------------------------------------------------------------


def test_missing_file(db, tmp_path, load):
    with pytest.raises(CommandError, match=r"No territories extract at .*missing"):
        load("--file", str(tmp_path / "missing.json.gz"))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        gzip.compress(b"{truncated")[:-4],
        gzip.compress(b"[1, 2, 3]"),
        gzip.compress(json.dumps({"format": 99}).encode()),
    ],
    ids=["empty", "not-json", "truncated-gzip", "not-an-object", "other-format"],
)
def test_malformed_file(db, tmp_path, load, content):
    path = tmp_path / "bad.json.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="is not a territories extract"):
        load("--file", str(path))
    assert Commune.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["columns"].update(regions=["code"]), "unexpected columns"),
        (lambda e: e["regions"].append(["11"]), "malformed rows in 'regions'"),
        (lambda e: e["communes"][0].__setitem__(4, -3), "malformed row in 'communes'"),
        (lambda e: e["communes"][0].__setitem__(1, ""), "malformed row in 'communes'"),
        (lambda e: e["departments"][0].__setitem__(2, "99"), "unknown region 99"),
        (lambda e: e["communes"][0].__setitem__(2, "29"), "unknown department"),
        (lambda e: e["communes"][3].__setitem__(6, "123456789"), "unknown epci"),
        (lambda e: e["epci"][0].__setitem__(2, "XX"), "unknown kind 'XX'"),
        (lambda e: e["epci"][0][5].append("35288"), "does not point back"),
        (lambda e: e["epci"][0].__setitem__(5, 3), "malformed row in 'epci'"),
    ],
)
def test_inconsistent_extract(db, small_extract, write, load, change, message):
    change(small_extract)
    with pytest.raises(CommandError, match=message):
        load("--file", str(write(small_extract)))
    assert Commune.objects.count() == 0
