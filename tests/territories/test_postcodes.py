"""Communes' postcodes, from the official referential (La Poste's codes as the
Etalab package carries them): loaded when the extract has them, checked, and
left empty by an extract without them."""

import pytest

from territories.extract import ExtractError, read_extract
from territories.models import Commune

pytestmark = pytest.mark.django_db


def with_postcodes(extract, rows):
    extract["columns"]["postcodes"] = ["code", "postcodes"]
    extract["postcodes"] = rows
    return extract


def test_the_shipped_extract_gives_each_commune_its_postcodes():
    extract = read_extract()
    assert extract.postcodes["22113"] == ["22300"]  # Lannion
    assert "69003" in extract.postcodes["69123"]  # Lyon, by arrondissement
    assert len(extract.postcodes) > 34_000


def test_loaded_postcodes_are_on_the_commune(small_extract, write, load):
    extract = with_postcodes(
        small_extract, [["22113", "22300"], ["35288", "35400 35800"]]
    )
    load("--file", str(write(extract)))
    assert Commune.objects.get(insee_code="22113").postcodes == "22300"
    assert Commune.objects.get(insee_code="35288").postcodes == "35400 35800"
    assert Commune.objects.get(insee_code="88196").postcodes == ""


def test_an_extract_without_postcodes_still_loads(small_referential):
    assert set(Commune.objects.values_list("postcodes", flat=True)) == {""}


@pytest.mark.parametrize(
    "rows",
    [[["99999", "22300"]], [["22113", "223"]], [["22113", 22300]], "22300"],
    ids=["unknown-commune", "short-code", "not-text", "not-a-table"],
)
def test_malformed_postcodes_are_refused(small_extract, write, rows):
    path = write(with_postcodes(small_extract, rows))
    with pytest.raises(ExtractError):
        read_extract(path)
