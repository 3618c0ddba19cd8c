"""French typography of dates and times, and articles before collectivity names."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from retex.templatetags.french_dates import (
    french_date,
    french_datetime,
    french_duration,
    french_time,
)
from territories.text import with_article

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_the_first_of_the_month_is_an_ordinal():
    assert french_date(paris(2027, 1, 1, 9, 30)) == "1er janvier 2027"
    assert french_date(datetime.date(2027, 1, 2)) == "2 janvier 2027"
    assert french_date(paris(2027, 1, 1), "l j F Y") == "vendredi 1er janvier 2027"
    assert french_date("2027-03-01") == "1er mars 2027"  # Search results' dates.
    assert french_date(None) == french_date("n'importe quoi") == ""


def test_times_read_nine_h_thirty_without_a_break_inside():
    assert french_time(paris(2027, 1, 1, 9, 30)) == "9\u00a0h\u00a030"
    assert french_time(paris(2027, 1, 1, 14, 0)) == "14\u00a0h"
    assert french_time(datetime.time(12, 5)) == "12\u00a0h\u00a005"
    # Stored in UTC, shown in Paris time.
    assert french_time(datetime.datetime(2027, 7, 1, 7, 0, tzinfo=datetime.UTC)) == (
        "9\u00a0h"
    )
    assert french_datetime(paris(2027, 1, 1, 9, 30)) == (
        "vendredi 1er janvier 2027 à 9\u00a0h\u00a030"
    )
    assert french_duration(390) == "6\u00a0h\u00a030"


def test_the_filters_in_a_template():
    html = Template(
        "{% load french_dates french_articles %}"
        "{{ when|french_date }} · {{ when|french_time }} · "
        "{% french_time_range when until %} · rattachée {{ name|with_a }}"
    ).render(
        Context(
            {
                "when": paris(2027, 1, 1, 9, 30),
                "until": paris(2027, 1, 1, 17, 0),
                "name": "Communauté d'agglomération du Grand Annecy",
            }
        )
    )
    assert html.replace("\u00a0", " ") == (
        "1er janvier 2027 · 9 h 30 · de 9 h 30 à 17 h · rattachée à la "
        "Communauté d&#x27;agglomération du Grand Annecy"
    )


@pytest.mark.parametrize(
    ("name", "of", "to"),
    [
        ("Ville de Lyon", "de la Ville de Lyon", "à la Ville de Lyon"),
        (
            "Communauté d'agglomération du Grand Annecy",
            "de la Communauté d'agglomération du Grand Annecy",
            "à la Communauté d'agglomération du Grand Annecy",
        ),
        ("Département du Nord", "du Département du Nord", "au Département du Nord"),
        (
            "Eurométropole de Strasbourg",
            "de l'Eurométropole de Strasbourg",
            "à l'Eurométropole de Strasbourg",
        ),
        ("Brest métropole", "de Brest métropole", "à Brest métropole"),
        (
            "Angers Loire Métropole",
            "d'Angers Loire Métropole",
            "à Angers Loire Métropole",
        ),
        ("Le Havre", "du Havre", "au Havre"),
        ("Les Sables-d'Olonne", "des Sables-d'Olonne", "aux Sables-d'Olonne"),
        ("La Rochelle", "de La Rochelle", "à La Rochelle"),
    ],
)
def test_articles_before_collectivity_names(name, of, to):
    assert with_article(name) == of
    assert with_article(name, "à") == to
