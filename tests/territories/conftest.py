import copy
import io

import pytest
from django.core.management import call_command

from territories.extract import COLUMNS, FORMAT, write_extract
from territories.models import Commune, Department, Epci, Region

# Real names, codes and figures (2026 referential), enough to exercise the loader
# and the selectors without loading 35,000 communes. The member lists are cut
# short, and Saint-Malo-de-Phily is left without EPCI on purpose.
SMALL_EXTRACT = {
    "format": FORMAT,
    "source": {"package": "@etalab/decoupage-administratif", "version": "test"},
    "columns": COLUMNS,
    "regions": [["44", "Grand Est"], ["53", "Bretagne"]],
    "departments": [
        ["22", "Côtes-d'Armor", "53"],
        ["35", "Ille-et-Vilaine", "53"],
        ["88", "Vosges", "44"],
    ],
    "communes": [
        # code, name, department, region, population, siren, epci, ept
        ["22113", "Lannion", "22", "53", 20315, "212201131", "200065928", None],
        ["22168", "Perros-Guirec", "22", "53", 7336, "212201685", "200065928", None],
        ["35288", "Saint-Malo", "35", "53", 47439, "213502883", "243500782", None],
        ["35289", "Saint-Malo-de-Phily", "35", "53", 1081, "213502891", None, None],
        ["88196", "Gérardmer", "88", "44", 7581, "218801967", "200096642", None],
    ],
    "epci": [
        # siren, name, kind, population, department, members
        [
            "200065928",
            "CA Lannion-Trégor Communauté",
            "CA",
            100877,
            "22",
            ["22113", "22168"],
        ],
        ["200096642", "CC Gérardmer Hautes Vosges", "CC", 13990, "88", ["88196"]],
        [
            "243500782",
            "CA du Pays de Saint Malo Agglomération",
            "CA",
            86484,
            "35",
            ["35288"],
        ],
    ],
}


@pytest.fixture
def small_extract():
    """A fresh, editable copy of SMALL_EXTRACT."""
    return copy.deepcopy(SMALL_EXTRACT)


@pytest.fixture
def write(tmp_path):
    """Write an extract dict to a .json.gz file and return its path."""

    def write_to(extract: dict, name: str = "extract.json.gz"):
        path = tmp_path / name
        write_extract(extract, path)
        return path

    return write_to


@pytest.fixture
def load():
    """Run load_territories and return its output."""

    def run(*args) -> str:
        out = io.StringIO()
        call_command("load_territories", *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def small_referential(db, small_extract, write, load):
    load("--file", str(write(small_extract)))


@pytest.fixture(scope="module")
def full_referential(django_db_setup, django_db_blocker):
    """The shipped extract, loaded once for the module and removed afterwards.

    Tests still run in their own rolled-back transaction, on top of it.
    """
    with django_db_blocker.unblock():
        output = io.StringIO()
        call_command("load_territories", stdout=output)
    yield output.getvalue()
    with django_db_blocker.unblock():
        for model in (Commune, Epci, Department, Region):
            model.objects.all().delete()
