"""Profiles start from the official referential and show its figures."""

import pytest
from django.core.management import call_command

from members.models import CollectivityKind, CollectivityPage
from members.referential import collectivity_create_from_territory
from territories.extract import write_extract
from tests.factories import CollectivityPageFactory, UserFactory, give_mfa
from tests.html import visible_text
from tests.territories.conftest import SMALL_EXTRACT

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential(tmp_path):
    path = tmp_path / "extract.json.gz"
    write_extract(SMALL_EXTRACT, path)
    call_command("load_territories", "--file", str(path), verbosity=0, stdout=None)


def test_an_editor_starts_a_profile_by_choosing_its_territory(client, referential):
    client.force_login(give_mfa(UserFactory(is_staff=True, is_superuser=True)))
    found = client.get("/admin/membres/nouvelle-collectivite/", {"q": "lannion"})
    assert "Lannion (22)" in found.content.decode()

    response = client.post(
        "/admin/membres/nouvelle-collectivite/", {"kind": "commune", "code": "22113"}
    )
    page = CollectivityPage.objects.get(siren="212201131")
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert not page.live
    assert (page.title, page.kind, page.insee_code, page.department, page.region) == (
        "Lannion",
        CollectivityKind.COMMUNE,
        "22113",
        "22",
        "53",
    )
    assert page.population == 20315


def test_an_intercommunality_gets_its_member_communes(section, referential):
    page, created = collectivity_create_from_territory(
        parent=section("membres"), kind="epci", code="200065928"
    )
    assert created
    assert page.kind == CollectivityKind.CA
    assert page.commune_count == 2
    assert "Perros-Guirec (22168)" in page.member_communes
    again, created_again = collectivity_create_from_territory(
        parent=section("membres"), kind="epci", code="200065928"
    )
    assert (again.pk, created_again) == (page.pk, False)


def test_an_unknown_territory_creates_nothing(client, referential):
    client.force_login(give_mfa(UserFactory(is_staff=True, is_superuser=True)))
    response = client.post(
        "/admin/membres/nouvelle-collectivite/", {"kind": "commune", "code": "99999"}
    )
    assert response.status_code == 302
    assert not CollectivityPage.objects.exists()


def test_a_commune_profile_shows_its_intercommunality(client, section, referential):
    epci = CollectivityPageFactory(
        parent=section("membres"),
        title="Lannion-Trégor Communauté",
        kind=CollectivityKind.CA,
        siren="200065928",
    )
    town = CollectivityPageFactory(
        parent=section("membres"), title="Lannion", insee_code="22113", department="22"
    )
    html = client.get(town.url).content.decode()
    assert "Intercommunalité" in visible_text(html)
    assert f'href="{epci.url}"' in html
