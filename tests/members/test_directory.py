"""`/membres/`: the directory, profiles, comparables and the open-data export."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import CollectivityContact, CollectivityKind, MembershipStatus
from members.territories import Region
from tests.factories import (
    CollectivityPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(section):
    members = section("membres")
    inclusion = ThemeFactory(slug="inclusion-numerique")
    towns = []
    for title, population, region, roadmap in [
        ("Ville de Lannion", 20_000, Region.BRETAGNE, True),
        ("Ville de Saint-Malo", 47_000, Region.BRETAGNE, False),
        ("Ville de Mulhouse", 108_000, Region.GRAND_EST, True),
    ]:
        town = CollectivityPageFactory(
            parent=members,
            title=title,
            kind=CollectivityKind.COMMUNE,
            population=population,
            region=region,
            roadmap_adopted=roadmap,
        )
        town.themes = [inclusion]
        towns.append(publish(town))
    lyon = CollectivityPageFactory(
        parent=members,
        title="Métropole de Lyon",
        kind=CollectivityKind.METROPOLE,
        population=1_400_000,
        region=Region.AUVERGNE_RHONE_ALPES,
    )
    return {"towns": towns, "lyon": lyon}


def card_titles(response):
    html = response.content.decode()
    results = html[html.index('class="listing__results"') :]
    return [
        c.split("</a>")[0].split(">")[-1]
        for c in results.split('class="card__title"')[1:]
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "Métropole de Lyon",
                "Ville de Lannion",
                "Ville de Mulhouse",
                "Ville de Saint-Malo",
            ],
        ),
        (
            {"kind": "commune"},
            ["Ville de Lannion", "Ville de Mulhouse", "Ville de Saint-Malo"],
        ),
        ({"region": Region.BRETAGNE}, ["Ville de Lannion", "Ville de Saint-Malo"]),
        ({"population": "20000-100000"}, ["Ville de Lannion", "Ville de Saint-Malo"]),
        (
            {"theme": "inclusion-numerique", "roadmap": "oui"},
            ["Ville de Lannion", "Ville de Mulhouse"],
        ),
    ],
)
def test_directory_filters(client, network, query, expected):
    assert card_titles(client.get("/membres/", query)) == expected


def test_each_filter_option_shows_how_many_it_would_give(client, network):
    text = visible_text(
        client.get("/membres/", {"region": Region.BRETAGNE}).content.decode()
    )
    # Counts of the kind filter take the region filter into account...
    assert "Commune (2)" in text
    assert "Métropole (0)" in text
    # ...but the region filter's own options ignore it.
    assert "Grand Est (1)" in text
    assert "Bretagne (2)" in text


def test_bad_filter_values_are_reported_and_ignored(client, network):
    response = client.get("/membres/", {"region": "99", "theme": "inconnu"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert len(card_titles(response)) == 4


def test_directory_queries_do_not_grow_with_the_number_of_members(
    client, section, network
):
    def count():
        client.get("/membres/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/membres/", {"kind": "commune"})
        return len(queries)

    few = count()
    for number in range(8):
        CollectivityPageFactory(parent=section("membres"), title=f"Commune {number}")
    assert count() == few


def test_open_data_export_has_public_fields_only(client, network):
    lannion = network["towns"][0]
    lannion.contacts = [
        CollectivityContact(name="Anne Secret", function="DGS", email="anne@lannion.fr")
    ]
    lannion.email_domains = "lannion.fr"
    publish(lannion)

    response = client.get("/membres/export.csv", {"region": Region.BRETAGNE})
    content = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert [row["nom"] for row in rows] == ["Ville de Lannion", "Ville de Saint-Malo"]
    assert rows[0]["population"] == "20000"
    assert "Anne Secret" not in content
    assert "lannion.fr" not in content.replace("lannion.example", "")

    data = json.loads(client.get("/membres/export.json").content)
    assert data["count"] == 4
    assert {"nom", "siren", "region", "url"} <= set(data["collectivites"][0])
    assert "contacts" not in data["collectivites"][0]


def test_contacts_are_shown_to_members_only(client, network):
    lannion = network["towns"][0]
    lannion.contacts = [CollectivityContact(name="Anne Kervella", function="DGS")]
    publish(lannion)

    assert "Anne Kervella" not in client.get(lannion.url).content.decode()
    client.force_login(UserFactory())
    assert "Anne Kervella" not in client.get(lannion.url).content.decode()
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    assert "Anne Kervella" in client.get(lannion.url).content.decode()


def test_comparable_collectivities_are_alike_and_show_their_practices(
    client, section, network
):
    lannion, saint_malo, _mulhouse = network["towns"]
    practice = PracticePageFactory(
        parent=section("ressources"),
        title="Médiation en bibliothèque",
        collectivity=saint_malo,
    )
    html = client.get(lannion.url).content.decode()
    comparables = html[html.index('id="comparables-title"') :]
    assert comparables.index("Ville de Saint-Malo") < comparables.index(
        "Ville de Mulhouse"
    )
    assert "Métropole de Lyon" not in comparables
    assert practice.title in comparables


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "123456789", "SIREN n'est pas valide"),
        ("department", "29", "n'appartient pas à la région"),
        ("department", "00", "n'existe pas"),
    ],
)
def test_profile_validation_gives_french_errors(network, field, value, message):
    mulhouse = network["towns"][2]  # Grand Est
    setattr(mulhouse, field, value)
    with pytest.raises(ValidationError) as error:
        mulhouse.full_clean()
    assert message in str(error.value.message_dict[field])


def test_a_valid_siren_and_consistent_department_pass(network):
    lannion = network["towns"][0]
    lannion.siren = "212 201 131"
    lannion.department = "22"
    lannion.full_clean()
    assert lannion.siren == "212201131"


def test_population_cannot_be_negative(network):
    lannion = network["towns"][0]
    lannion.population = -5
    with pytest.raises(ValidationError):
        lannion.full_clean()


def test_lapsed_members_are_listed_with_their_status(client, section):
    CollectivityPageFactory(
        parent=section("membres"),
        title="Ancien membre",
        membership_status=MembershipStatus.LAPSED,
    )
    assert "Adhésion échue" in visible_text(client.get("/membres/").content.decode())
