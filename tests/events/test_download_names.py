"""Downloaded files keep their name whatever its letters: an event slug with « œ »
or « é » reaches the browser as RFC 6266 `filename*`, plain names as `filename`."""

import datetime
from email.message import Message

import pytest
from django.utils import timezone

from events.models import EventKind, Registration, RegistrationStatus
from events.registration import registration_set_attendance
from tests.factories import (
    EventPageFactory,
    UserFactory,
    give_mfa,
    verified_person,
)

pytestmark = pytest.mark.django_db


def downloaded_name(response) -> str:
    """The file name a browser saves, read back from the header as sent."""
    header = response["Content-Disposition"]
    assert header.isascii(), header
    message = Message()
    message["Content-Disposition"] = header
    return message.get_filename()


@pytest.fixture
def organizer():
    return give_mfa(UserFactory(is_staff=True, is_superuser=True))


def export(client, event, extension):
    return client.get(f"/admin/evenements/{event.pk}/inscriptions/export.{extension}")


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_accented_event_name_survives_in_the_export_file_name(
    client, organizer, section, extension
):
    event = EventPageFactory(
        parent=section("evenements"),
        title="Cœur de ville numérique",
        slug="cœur-de-ville-numérique",
    )
    client.force_login(organizer)

    response = export(client, event, extension)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    today = timezone.localdate()
    assert downloaded_name(response) == (
        f"inscriptions-cœur-de-ville-numérique-{today:%Y-%m-%d}.{extension}"
    )


def test_a_plain_name_is_sent_as_a_quoted_file_name(client, organizer, section):
    event = EventPageFactory(parent=section("evenements"), slug="atelier-donnees")
    client.force_login(organizer)

    response = export(client, event, "csv")

    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inscriptions-atelier-donnees-{today:%Y-%m-%d}.csv"'
    )


def test_an_accented_certificate_name_survives(client, organizer, section):
    start = timezone.now() - datetime.timedelta(days=3)
    event = EventPageFactory(
        parent=section("evenements"),
        kind=EventKind.TRAINING,
        slug="sécurité-des-élus",
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    person = verified_person()
    registration = Registration.objects.create(
        event=event,
        user=person,
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    registration_set_attendance(
        registration_id=registration.pk, attended=True, by=organizer
    )
    client.force_login(person)

    response = client.get(f"/mon-espace/attestations/{registration.pk}/attestation.pdf")

    assert response.status_code == 200
    assert downloaded_name(response) == "attestation-sécurité-des-élus.pdf"


def test_an_accented_event_calendar_file_name_survives(client, section):
    event = EventPageFactory(
        parent=section("evenements"), slug="café-numérique-œcuménique"
    )

    response = client.get(event.url + "evenement.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert downloaded_name(response) == "café-numérique-œcuménique.ics"
