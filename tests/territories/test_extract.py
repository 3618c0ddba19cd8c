import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from territories.extract import DEFAULT_PATH, read_extract


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def package(tmp_path):
    """A miniature @etalab/decoupage-administratif package."""
    root = tmp_path / "package"
    data = root / "data"
    data.mkdir(parents=True)
    write_json(
        root / "package.json",
        {"name": "@etalab/decoupage-administratif", "version": "9.9.9"},
    )
    write_json(
        data / "regions.json",
        [
            {"code": "53", "nom": "Bretagne", "zone": "metro"},
            {"code": "04", "nom": "La Réunion", "zone": "drom"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
    )
    write_json(
        data / "departements.json",
        [
            {"code": "22", "nom": "Côtes-d'Armor", "region": "53", "zone": "metro"},
            {"code": "974", "nom": "La Réunion", "region": "04", "zone": "drom"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "975",
             "zone": "com"},
        ],
    )  # fmt: skip
    commune = {"departement": "22", "region": "53", "zone": "metro"}
    write_json(
        data / "communes.json",
        [
            {**commune, "code": "22113", "nom": "Lannion", "population": 20315,
             "siren": "212201131", "type": "commune-actuelle"},
            {**commune, "code": "22168", "nom": "Perros-Guirec", "population": 7336,
             "siren": "212201685", "type": "commune-actuelle"},
            {**commune, "code": "22007", "nom": "Binic",
             "type": "commune-deleguee"},
            {"code": "97411", "nom": "Saint-Denis", "departement": "974",
             "region": "04", "zone": "drom", "population": 153001,
             "siren": "219740115", "type": "commune-actuelle"},
            {"code": "97502", "nom": "Saint-Pierre", "departement": "975",
             "region": "975", "zone": "com", "population": 5194,
             "type": "commune-actuelle"},
        ],
    )  # fmt: skip
    write_json(
        data / "epci.json",
        [
            {"code": "200065928", "nom": "CA Lannion-Trégor Communauté",
             "type": "CA", "populationMunicipale": 100877,
             "membres": [{"code": "22168"}, {"code": "22113"}]},
        ],
    )  # fmt: skip
    write_json(data / "ept.json", [])
    return root


def build(*args):
    out = io.StringIO()
    call_command("build_territories_extract", *args, stdout=out)
    return out.getvalue()


def test_builds_a_compact_reproducible_extract(package, tmp_path):
    output_path = tmp_path / "territories.json.gz"
    output = build(str(package), "--output", str(output_path))
    assert "@etalab/decoupage-administratif 9.9.9" in output
    assert "2 regions, 2 departments, 1 EPCI/EPT, 3 communes" in output

    first = output_path.read_bytes()
    assert first[4:8] == b"\0\0\0\0"  # No timestamp in the gzip header.
    build(str(package), "--output", str(output_path))
    assert output_path.read_bytes() == first

    document = json.loads(gzip.decompress(first))
    assert document["source"]["version"] == "9.9.9"
    assert document["regions"] == [["04", "La Réunion"], ["53", "Bretagne"]]
    assert document["communes"] == [
        ["22113", "Lannion", "22", "53", 20315, "212201131", "200065928", None],
        ["22168", "Perros-Guirec", "22", "53", 7336, "212201685", "200065928", None],
        ["97411", "Saint-Denis", "974", "04", 153001, "219740115", None, None],
    ]
    assert document["epci"] == [
        [
            "200065928",
            "CA Lannion-Trégor Communauté",
            "CA",
            100877,
            "22",
            ["22113", "22168"],
        ]
    ]
    assert read_extract(output_path).communes[0]["name"] == "Lannion"


def test_build_rejects_what_it_does_not_know(package, tmp_path):
    epci = json.loads((package / "data" / "epci.json").read_text(encoding="utf-8"))
    epci[0]["type"] = "SIVOM"
    write_json(package / "data" / "epci.json", epci)
    with pytest.raises(CommandError, match="Unknown EPCI type 'SIVOM'"):
        build(str(package), "--output", str(tmp_path / "out.json.gz"))
    with pytest.raises(CommandError, match="not found"):
        build(str(tmp_path / "nowhere"), "--output", str(tmp_path / "out.json.gz"))


def test_shipped_extract_is_documented():
    extract = read_extract()
    assert DEFAULT_PATH.stat().st_size < 1_500_000
    readme = (DEFAULT_PATH.parent / "README.md").read_text(encoding="utf-8")
    assert extract.source["package"] == "@etalab/decoupage-administratif"
    assert f"version **{extract.source['version']}**" in readme
    assert "Copyright (c) 2018-2019 Etalab" in readme
