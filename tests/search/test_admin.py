"""What editors get for search in the Wagtail admin: synonyms and statistics."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from search.models import SearchQueryStat, Synonym
from search.query import parse
from tests.factories import UserFactory, give_mfa
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SYNONYMS_URL = "/admin/snippets/search/synonym/"
STATS_URL = "/admin/reports/recherches/"


@pytest.fixture
def superuser(client):
    user = give_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    """Someone of the association's "Éditeurs" group, not a superuser."""
    user = give_mfa(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    return user


# --- Synonyms ----------------------------------------------------------------------


def test_the_network_starts_with_synonyms_of_the_field():
    seeded = set(Synonym.objects.values_list("terms", flat=True))
    assert {
        # Seeded by search.0003, widened by search.0010.
        "EPCI, intercommunalité, communauté de communes, communauté "
        "d'agglomération, communauté urbaine, métropole",
        "IA, intelligence artificielle",
        "rançongiciel, ransomware, logiciel de rançon",
        "démat, dématérialisation",
        "ENT, espace numérique de travail",
    } <= seeded
    assert len(seeded) >= 15
    for synonym in Synonym.objects.all():
        assert len(synonym.term_list()) >= 2, synonym


def test_editors_list_and_search_synonyms(client, editor):
    response = client.get(SYNONYMS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Synonymes" in html
    assert "EPCI, intercommunalité" in html
    assert "Nombre de termes" in html

    html = client.get(SYNONYMS_URL, {"q": "EPCI"}).content.decode()
    assert "EPCI, intercommunalité" in html
    assert "démat, dématérialisation" not in html


def test_editors_add_a_synonym_that_search_applies_at_once(client, editor):
    assert parse("PETR").clauses == [[("petr",)]]
    response = client.post(
        SYNONYMS_URL + "add/",
        {"terms": "  PETR ,  pôle d'équilibre   territorial et rural "},
    )
    assert response.status_code == 302
    synonym = Synonym.objects.get(terms__startswith="PETR")
    assert synonym.terms == "PETR, pôle d'équilibre territorial et rural"
    assert ("pol", "equilibr", "territorial", "rural") in parse("PETR").clauses[0]


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("EPCI", "Indiquez au moins deux termes équivalents"),
        ("   ", "Champ requis."),
        ("démat, , paperasse", "Un des termes est vide"),
        ("démat,", "Un des termes est vide"),
        ("court, " + "très long " * 7, "caractères au plus"),
        ("numérique, de la", "ne contient aucun mot recherchable"),
        ("tiers-lieu, tiers lieux", "sont déjà trouvés l\u2019un par l\u2019autre"),
        ("communauté de communes, EPCI", "figure déjà dans le synonyme"),
        (
            "EPCI, intercommunalité",
            "figure déjà dans le synonyme « EPCI, intercommunalité, communauté",
        ),
    ],
)
def test_synonyms_are_checked_with_french_messages(client, editor, terms, message):
    before = Synonym.objects.count()
    response = client.post(SYNONYMS_URL + "add/", {"terms": terms})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["terms"])
    assert visible_text(message.replace("\u2019", "'")) in visible_text(
        errors.replace("\u2019", "'")
    ), errors
    assert Synonym.objects.count() == before


def test_a_term_may_stay_in_its_own_synonym_when_it_is_edited(client, editor):
    synonym = Synonym.objects.get(terms__startswith="EPCI, intercommunalité")
    response = client.post(
        f"{SYNONYMS_URL}edit/{synonym.pk}/",
        {"terms": "EPCI, intercommunalité, intercommunalités à fiscalité propre"},
    )
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert len(synonym.term_list()) == 3


def test_people_outside_the_editors_cannot_edit_synonyms(client):
    client.force_login(UserFactory())
    response = client.get(SYNONYMS_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(SYNONYMS_URL + "add/", {"terms": "a, b"})
    assert response.status_code == 302
    assert not Synonym.objects.filter(terms="a, b").exists()


# --- Search statistics -------------------------------------------------------------


@pytest.fixture
def stats():
    today = timezone.localdate()

    def add(days_ago, query, searches, without_results=0):
        SearchQueryStat.objects.create(
            day=today - datetime.timedelta(days=days_ago),
            query=query,
            searches=searches,
            without_results=without_results,
        )

    add(0, "cybersecurite", 5)
    add(10, "cybersecurite", 3)
    add(1, "feuille de route", 4, 1)
    add(2, "introuvable xyz", 2, 2)
    add(3, "visioconference", 6, 6)
    add(60, "tiers lieux", 20)
    add(60, "borne interactive", 9, 9)
    add(200, "ancienne recherche", 50, 50)


def report_lists(response) -> dict:
    return {
        item["key"]: [
            (row["query"], row["total"], row["missed"]) for row in item["rows"]
        ]
        for item in response.context["lists"]
    }


def test_the_report_shows_top_and_unanswered_queries_of_the_last_30_days(
    client, superuser, stats
):
    response = client.get(STATS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recherches des membres" in html
    assert "Recherches les plus fréquentes" in html
    assert "Recherches sans résultat" in html
    assert "tiers lieux" not in html
    lists = report_lists(response)
    assert lists["top"] == [
        ("cybersecurite", 8, 0),
        ("visioconference", 6, 6),
        ("feuille de route", 4, 1),
        ("introuvable xyz", 2, 2),
    ]
    assert lists["sans-resultat"] == [
        ("visioconference", 6, 6),
        ("introuvable xyz", 2, 2),
        ("feuille de route", 4, 1),
    ]


def test_the_report_covers_90_days_on_request(client, superuser, stats):
    lists = report_lists(client.get(STATS_URL, {"periode": "90"}))
    assert lists["top"][0] == ("tiers lieux", 20, 0)
    assert ("borne interactive", 9, 9) in lists["sans-resultat"]
    assert "ancienne recherche" not in {row[0] for row in lists["top"]}
    # Anything else falls back to 30 days.
    lists = report_lists(client.get(STATS_URL, {"periode": "3650"}))
    assert "tiers lieux" not in {row[0] for row in lists["top"]}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_report_exports_csv_without_anyone_s_identity(client, superuser, stats):
    rows = read_csv(client.get(STATS_URL, {"export": "csv", "liste": "top"}))
    assert rows[0] == ["Recherche", "Recherches", "Sans résultat"]
    assert rows[1:] == [
        ["cybersecurite", "8", "0"],
        ["visioconference", "6", "6"],
        ["feuille de route", "4", "1"],
        ["introuvable xyz", "2", "2"],
    ]
    rows = read_csv(
        client.get(
            STATS_URL, {"export": "csv", "liste": "sans-resultat", "periode": 90}
        )
    )
    assert [row[0] for row in rows[1:]] == [
        "borne interactive",
        "visioconference",
        "introuvable xyz",
        "feuille de route",
    ]
    assert superuser.email not in str(rows)


def test_editors_see_the_report_in_the_reports_menu(client, editor, stats):
    assert "Recherches des membres" in client.get("/admin/").content.decode()
    assert client.get(STATS_URL).status_code == 200


def test_people_without_the_permission_cannot_see_the_report(client, stats):
    member = UserFactory()
    client.force_login(member)
    for params in ({}, {"export": "csv", "liste": "top"}):
        response = client.get(STATS_URL, params)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    # In the admin, but without the statistics permission.
    staff = give_mfa(UserFactory(is_staff=True))
    staff.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    client.force_login(staff)
    assert "Recherches des membres" not in client.get("/admin/").content.decode()
    for params in ({}, {"export": "csv", "liste": "top"}):
        response = client.get(STATS_URL, params)
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
