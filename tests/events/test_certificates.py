"""Attendance certificates: who downloads one, what it says, how it is verified."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from events.certificates import (
    format_hours,
    new_certificate_code,
    normalize_code,
)
from events.models import EventKind, EventSession, Registration, RegistrationStatus
from events.registration import registration_set_attendance
from retex.models import SiteSettings
from tests.factories import EventPageFactory, UserFactory
from tests.factories import verified_person as person
from tests.html import visible_text

pytestmark = pytest.mark.django_db

VERIFY = "/attestations/verifier/"


@pytest.fixture
def organizer():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def past_training(section):
    """A two-session training that ended yesterday."""
    day = timezone.localtime().replace(
        hour=9, minute=0, second=0, microsecond=0
    ) - datetime.timedelta(days=3)
    event = EventPageFactory(
        parent=section("evenements"),
        title="Cybersécurité des élus",
        kind=EventKind.TRAINING,
        start=day,
        end=day + datetime.timedelta(days=1, hours=3, minutes=30),
        venue="Maison des associations",
        address="2 rue de la Paix",
        postcode="35000",
        city="Rennes",
    )
    EventSession.objects.create(
        page=event, start=day, end=day + datetime.timedelta(hours=3), label="Jour 1"
    )
    EventSession.objects.create(
        page=event,
        start=day + datetime.timedelta(days=1),
        end=day + datetime.timedelta(days=1, hours=3, minutes=30),
        label="Jour 2",
    )
    return event


def participant_of(event, user, organizer, *, attended=True):
    registration = Registration.objects.create(
        event=event,
        user=user,
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    return registration_set_attendance(
        registration_id=registration.pk, attended=attended, by=organizer
    )


@pytest.fixture
def elue():
    return person(
        "claire.dubois@vitre.fr",
        first_name="Claire",
        last_name="Dubois",
        function_title="Adjointe au numérique",
    )


def certificate_url(registration):
    return f"/mon-espace/attestations/{registration.pk}/attestation.pdf"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- The code ----------------------------------------------------------------------


def test_marking_someone_present_gives_them_a_code_once(past_training, elue, organizer):
    registration = participant_of(past_training, elue, organizer)
    code = registration.certificate_code
    assert normalize_code(code) == code
    again = registration_set_attendance(
        registration_id=registration.pk, attended=True, by=organizer
    )
    assert again.certificate_code == code


def test_codes_are_read_back_forgivingly():
    code = new_certificate_code()
    assert normalize_code(code.lower().replace("-", " ")) == code
    assert normalize_code(f"  {code.replace('-', '')}  ") == code
    for wrong in ["", "ABC", "K7QM-2XRT-P9W0", "O" * 12, "x" * 500, None, 42]:
        assert normalize_code(wrong) is None


def test_hours_read_as_people_say_them():
    assert format_hours(3) == "3 h"
    assert format_hours(3.5) == "3 h 30"
    assert format_hours(0.25) == "0 h 15"


# --- The PDF -----------------------------------------------------------------------


def test_the_certificate_says_who_what_when_and_how_long(
    client, past_training, elue, organizer, settings
):
    settings.RETEX_TRAINING_AGREEMENT_NUMBER = "2024-BZH-017"
    site_settings = SiteSettings.load()
    site_settings.association_name = "Association Retex des collectivités"
    site_settings.save()
    registration = participant_of(past_training, elue, organizer)
    client.force_login(elue)

    response = client.get(certificate_url(registration))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "ATTESTATION DE PRÉSENCE" in text
    assert "Claire Dubois, Adjointe au numérique" in text
    assert "Cybersécurité des élus" in text
    assert "Formation" in text
    assert "Jour 1" in text and "Jour 2" in text
    assert "de 9 h à 12 h (3 h)" in text
    assert "de 9 h à 12 h 30 (3 h 30)" in text
    assert "Durée totale : 6 h 30" in text
    assert "Maison des associations, 2 rue de la Paix, 35000 Rennes" in text
    assert "Association Retex des collectivités" in text
    assert "2024-BZH-017" in text
    assert "DIFE" in text
    assert registration.certificate_code in text
    assert "/attestations/verifier/?code=" in text


def test_an_event_without_sessions_counts_its_start_and_end(
    client, section, elue, organizer
):
    start = timezone.localtime().replace(
        hour=14, minute=0, second=0, microsecond=0
    ) - datetime.timedelta(days=2)
    event = EventPageFactory(
        parent=section("evenements"),
        title="Webinaire données ouvertes",
        kind=EventKind.WEBINAR,
        start=start,
        end=start + datetime.timedelta(hours=1, minutes=30),
        online=True,
        city="",
    )
    registration = participant_of(event, elue, organizer)
    client.force_login(elue)
    text = pdf_text(client.get(certificate_url(registration)).content)
    assert "Webinaire données ouvertes" in text
    assert "de 14 h à 15 h 30 (1 h 30)" in text
    assert "Durée totale : 1 h 30" in text
    assert "en ligne" in text


def test_names_outside_the_pdf_fonts_do_not_break_the_certificate(
    client, past_training, organizer
):
    user = person(first_name="Zoë", last_name="Nguyễn Łukasz")
    registration = participant_of(past_training, user, organizer)
    client.force_login(user)
    response = client.get(certificate_url(registration))
    assert response.status_code == 200
    assert "Zoë Nguyen Lukasz" in pdf_text(response.content)


# --- Who gets one ------------------------------------------------------------------


def test_only_the_participant_present_after_the_event_gets_it(
    client, past_training, section, elue, organizer
):
    present = participant_of(past_training, elue, organizer)
    absent_user = person()
    absent = participant_of(past_training, absent_user, organizer, attended=False)
    upcoming = EventPageFactory(parent=section("evenements"))
    too_early = participant_of(upcoming, elue, organizer)
    assert too_early.certificate_code  # Marked present, but not over yet.

    # Anonymous: to the login page.
    response = client.get(certificate_url(present))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    client.force_login(elue)
    assert client.get(certificate_url(present)).status_code == 200
    assert client.get(certificate_url(too_early)).status_code == 404
    assert client.get(certificate_url(absent)).status_code == 404
    assert client.get(
        "/mon-espace/attestations/999999/attestation.pdf"
    ).status_code == (404)

    # Someone else's certificate: a 404, as if it did not exist.
    client.force_login(absent_user)
    assert client.get(certificate_url(present)).status_code == 404
    client.force_login(person())
    assert client.get(certificate_url(present)).status_code == 404


def test_no_certificate_after_a_cancellation_or_a_cancelled_event(
    client, past_training, elue, organizer
):
    registration = participant_of(past_training, elue, organizer)
    client.force_login(elue)
    Registration.objects.filter(pk=registration.pk).update(
        status=RegistrationStatus.CANCELLED
    )
    assert client.get(certificate_url(registration)).status_code == 404
    Registration.objects.filter(pk=registration.pk).update(
        status=RegistrationStatus.CONFIRMED
    )
    type(past_training).objects.filter(pk=past_training.pk).update(cancelled=True)
    assert client.get(certificate_url(registration)).status_code == 404


# --- Public verification -----------------------------------------------------------


def test_a_genuine_code_is_confirmed_with_initials_only(
    client, past_training, elue, organizer
):
    registration = participant_of(past_training, elue, organizer)
    code = registration.certificate_code
    response = client.get(VERIFY, {"code": code.lower().replace("-", " ")})
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Cette attestation est authentique." in text
    assert "C. D." in text
    assert "Cybersécurité des élus" in text
    start = timezone.localtime(past_training.start)
    assert str(start.year) in text and str(start.day) in text
    for private in ["Claire", "Dubois", "claire.dubois@vitre.fr", "Adjointe"]:
        assert private not in text
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_unknown_absent_or_malformed_codes(client, past_training, organizer):
    absent = participant_of(past_training, person(), organizer, attended=False)
    present = participant_of(past_training, person(), organizer)
    registration_set_attendance(
        registration_id=present.pk, attended=False, by=organizer
    )  # Corrected: the code stays, but no longer certifies anything.
    for code in [new_certificate_code(), present.certificate_code]:
        text = visible_text(client.get(VERIFY, {"code": code}).content.decode())
        assert "Aucune attestation ne correspond à ce code." in text
        assert "authentique" not in text
    assert not absent.certificate_code

    for malformed in [
        "abc",
        "K7QM-2XRT-P9W0",
        "<script>",
        "x" * 5000,
        "\x00",
        "é" * 12,
    ]:
        response = client.get(VERIFY, {"code": malformed})
        assert response.status_code == 200
        assert "Ce code n'a pas le bon format" in visible_text(
            response.content.decode()
        )


def test_the_verification_page_without_a_code_shows_the_form(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html
    assert "bon format" not in html and "Aucune attestation" not in html
    assert client.post(VERIFY, {"code": "x"}).status_code == 405


# --- Breaks and the person's collectivity ------------------------------------------


def test_a_full_day_with_an_hours_lunch_counts_six_and_a_half_hours(
    client, section, elue, organizer
):
    day = timezone.localtime().replace(
        hour=9, minute=30, second=0, microsecond=0
    ) - datetime.timedelta(days=2)
    event = EventPageFactory(
        parent=section("evenements"),
        title="Journée de la donnée",
        start=day,
        end=day.replace(hour=17, minute=0),
    )
    EventSession.objects.create(
        page=event,
        start=day,
        end=day.replace(hour=17, minute=0),
        break_start=datetime.time(12, 30),
        break_end=datetime.time(13, 30),
    )
    registration = participant_of(event, elue, organizer)
    client.force_login(elue)

    text = pdf_text(client.get(certificate_url(registration)).content)

    assert "de 9 h 30 à 17 h (pause de 12 h 30 à 13 h 30) (6 h 30)" in text
    assert "Durée totale : 6 h 30" in text
    assert "7 h 30" not in text


def test_a_break_must_be_whole_and_inside_its_session(past_training):
    from django.core.exceptions import ValidationError

    session = past_training.sessions.first()
    session.break_start = datetime.time(10, 0)
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "fin de la pause" in str(error.value) or "aucun des deux" in str(error.value)
    session.break_end = datetime.time(13, 0)  # The session ends at 12 h.
    with pytest.raises(ValidationError):
        session.clean()
    session.break_end = datetime.time(10, 15)
    session.clean()
    assert session.hours == 2.75


def test_the_certificate_names_the_collectivity_with_its_article(
    client, past_training, elue, organizer, section
):
    from tests.factories import CollectivityPageFactory

    agglo = CollectivityPageFactory(
        parent=section("membres"),
        title="Communauté d'agglomération du Pays de Vitré",
    )
    registration = participant_of(past_training, elue, organizer)
    Registration.objects.filter(pk=registration.pk).update(collectivity=agglo)
    client.force_login(elue)

    text = pdf_text(client.get(certificate_url(registration)).content)

    assert (
        "Claire Dubois, Adjointe au numérique de la Communauté d'agglomération du "
        "Pays de Vitré, a suivi" in text
    )
