"""RGPD: a person downloads all their data, or erases their account."""

import json
import logging

import pytest
from allauth.account.models import EmailAddress

from members.affiliation import affiliation_request
from members.models import Affiliation, User
from tests.factories import CollectivityPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(section):
    town = CollectivityPageFactory(parent=section("membres"), email_domains="ville.fr")
    user = UserFactory(
        email="camille@ville.fr",
        first_name="Camille",
        last_name="Rivière",
        function_title="DSI",
        phone="02 61 91 00 01",
    )
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    affiliation_request(user=user, collectivity=town, message="Je suis la DSI")
    return user


@pytest.fixture
def someone_else(section):
    other = UserFactory(email="dominique@autre.fr", first_name="Dominique")
    EmailAddress.objects.create(
        user=other, email=other.email, verified=True, primary=True
    )
    return other


def test_the_export_holds_all_my_data_and_nobody_elses(client, camille, someone_else):
    client.force_login(camille)
    response = client.get("/mon-espace/mes-donnees.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["compte"]["email"] == "camille@ville.fr"
    assert data["compte"]["fonction"] == "DSI"
    assert data["compte"]["telephone"] == "02 61 91 00 01"
    assert data["rattachements"][0]["message"] == "Je suis la DSI"
    dumped = json.dumps(data, ensure_ascii=False)
    assert "dominique" not in dumped.lower()


def test_the_export_needs_a_login(client):
    response = client.get("/mon-espace/mes-donnees.json")
    assert response.status_code == 302


def test_deleting_my_account_needs_confirmation(client, camille):
    client.force_login(camille)
    response = client.post("/mon-espace/supprimer-mon-compte/", {"confirmation": "oui"})
    assert response.status_code == 200
    assert "Saisissez SUPPRIMER" in response.content.decode()
    assert User.objects.filter(pk=camille.pk).exists()


def test_deleting_my_account_erases_my_personal_data(client, camille, caplog):
    client.force_login(camille)
    user_id = camille.pk
    with caplog.at_level(logging.INFO, logger="retex.personal_data"):
        response = client.post(
            "/mon-espace/supprimer-mon-compte/", {"confirmation": "SUPPRIMER"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user_id).exists()
    assert not EmailAddress.objects.filter(email="camille@ville.fr").exists()
    assert not Affiliation.objects.filter(user_id=user_id).exists()
    assert not User.objects.filter(last_name="Rivière").exists()
    # Logged without the data.
    assert any(str(user_id) in record.getMessage() for record in caplog.records)
    assert "camille" not in caplog.text.lower()
    # And the session is gone.
    assert client.get("/mon-espace/").status_code == 302


def test_registrations_are_exported_and_kept_anonymously_after_deletion(
    client, camille, section
):
    from events.models import Registration
    from events.registration import registration_create
    from tests.factories import EventPageFactory

    event = EventPageFactory(parent=section("evenements"), title="Atelier RGPD")
    registration, _created = registration_create(event_id=event.pk, user=camille)
    client.force_login(camille)
    data = json.loads(client.get("/mon-espace/mes-donnees.json").content)
    assert data["inscriptions"][0]["evenement"] == "Atelier RGPD"

    client.post("/mon-espace/supprimer-mon-compte/", {"confirmation": "SUPPRIMER"})
    kept = Registration.objects.get(pk=registration.pk)
    assert kept.user is None
    assert kept.status == "confirmee"
