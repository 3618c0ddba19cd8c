"""RGPD: a person downloads all their data, or erases their account."""

import json
import logging

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

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


def test_registrations_are_exported(client, camille, section):
    from events.registration import registration_create
    from tests.factories import EventPageFactory

    event = EventPageFactory(parent=section("evenements"), title="Atelier RGPD")
    registration_create(event_id=event.pk, user=camille)
    client.force_login(camille)
    data = json.loads(client.get("/mon-espace/mes-donnees.json").content)
    assert data["inscriptions"][0]["evenement"] == "Atelier RGPD"


# --- Deletion and registrations ---------------------------------------------------


def person(first_name):
    user = UserFactory(first_name=first_name)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def delete_account(client, user, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            "/mon-espace/supprimer-mon-compte/", {"confirmation": "SUPPRIMER"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


@pytest.fixture
def full_event(section, camille, django_capture_on_commit_callbacks):
    """One seat, taken by Camille; Bruno then Chloé waiting."""
    from events.registration import registration_create
    from tests.factories import EventPageFactory

    event = EventPageFactory(
        parent=section("evenements"), title="Atelier RGPD", capacity=1
    )
    bruno, chloe = person("Bruno"), person("Chloé")
    with django_capture_on_commit_callbacks(execute=True):
        seat, _ = registration_create(event_id=event.pk, user=camille)
        registration_create(event_id=event.pk, user=bruno)
        registration_create(event_id=event.pk, user=chloe)
    mail.outbox.clear()
    return event, seat, bruno, chloe


def test_deleting_an_account_frees_its_seat_for_the_first_person_waiting(
    client, camille, full_event, django_capture_on_commit_callbacks
):
    from events.models import Registration
    from events.registration import counts, waitlist_position

    event, seat, bruno, chloe = full_event

    delete_account(client, camille, django_capture_on_commit_callbacks)

    seat.refresh_from_db()
    assert (seat.user, seat.status) == (None, "annulee")
    assert counts(event) == {"confirmed": 1, "waitlisted": 1}
    of_bruno = Registration.objects.get(event=event, user=bruno)
    assert of_bruno.status == "confirmee"
    assert waitlist_position(Registration.objects.get(event=event, user=chloe)) == 1
    (message,) = mail.outbox  # Nothing to the erased address.
    assert message.to == [bruno.email]
    assert message.subject == "[Retex] Une place s'est libérée : Atelier RGPD"


def test_a_deleted_account_never_waits_in_line(
    client, full_event, django_capture_on_commit_callbacks
):
    from events.models import Registration
    from events.registration import registration_cancel

    event, seat, bruno, chloe = full_event

    delete_account(client, bruno, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration_id=seat.pk, by=seat.user)

    assert Registration.objects.get(event=event, user=chloe).status == "confirmee"
    (anonymous,) = Registration.objects.filter(event=event, user=None)
    assert anonymous.status == "annulee"
    assert [m.to for m in mail.outbox if "place" in m.subject] == [[chloe.email]]


def test_past_attendance_stays_counted_anonymously(
    client, camille, section, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from events.models import Registration
    from tests.factories import EventPageFactory

    start = timezone.now() - datetime.timedelta(days=30)
    past = EventPageFactory(
        parent=section("evenements"),
        title="Formation passée",
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    attended = Registration.objects.create(
        event=past,
        user=camille,
        status="confirmee",
        attended=True,
        certificate_code="ABCD-2345",
    )

    delete_account(client, camille, django_capture_on_commit_callbacks)

    attended.refresh_from_db()
    assert attended.user is None
    assert (attended.status, attended.attended) == ("confirmee", True)
    assert attended.certificate_code == ""
    assert past.registrations.filter(status="confirmee", attended=True).count() == 1


def test_an_anonymous_registration_left_waiting_is_never_promoted(
    full_event, django_capture_on_commit_callbacks
):
    """Rows anonymised before deletion cancelled registrations stay in line."""
    from events.models import Registration
    from events.registration import registration_cancel

    event, seat, bruno, chloe = full_event
    Registration.objects.filter(event=event, user=bruno).update(user=None)

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration_id=seat.pk, by=seat.user)

    assert Registration.objects.get(event=event, user=chloe).status == "confirmee"
    assert Registration.objects.get(event=event, user=None).status == "attente"
