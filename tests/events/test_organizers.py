"""Organizers in the admin: registrations, exports, sign-in sheet, attendance,
cancellations, promotions, writing to participants; nobody else gets in."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventPage, EventSession, Registration, RegistrationStatus
from events.registration import registration_create
from tests.factories import (
    CollectivityPageFactory,
    EventPageFactory,
    give_mfa,
)
from tests.factories import verified_person as person
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def register(event, user):
    return registration_create(event_id=event.pk, user=user)[0]


@pytest.fixture
def organizer():
    """An editor (not a superuser) who may edit every page, events included."""
    user = person("organisatrice@retex.fr", is_staff=True)
    user.groups.add(Group.objects.get(name="Éditeurs"))
    return give_mfa(user)


@pytest.fixture
def representative():
    """Uses the admin (for their collectivity's profile) but may not edit events."""
    user = person("representant@ville.fr", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return give_mfa(user)


@pytest.fixture
def training(section):
    return EventPageFactory(
        parent=section("evenements"),
        title="Cybersécurité des élus",
        capacity=2,
        waitlist_enabled=True,
    )


@pytest.fixture
def filled(training, section):
    """Two confirmed (one registered by a colleague, with a collectivity), two
    waiting, one cancelled."""
    town = CollectivityPageFactory(parent=section("membres"), title="Ville de Vitré")
    alice = person("alice@vitre.fr", first_name="Alice", last_name="Durand")
    alice.function_title = "Adjointe au numérique"
    alice.save()
    bruno = person("bruno@ville.fr", first_name="Bruno", last_name="Petit")
    chloe = person("chloe@ville.fr", first_name="Chloé", last_name="Roux")
    david = person("david@ville.fr", first_name="David", last_name="Leroy")
    emma = person("emma@ville.fr", first_name="Emma", last_name="Blanc")
    registrations = {
        name: register(training, user)
        for name, user in [
            ("alice", alice),
            ("bruno", bruno),
            ("chloe", chloe),
            ("david", david),
            ("emma", emma),
        ]
    }
    Registration.objects.filter(pk=registrations["emma"].pk).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    Registration.objects.filter(pk=registrations["alice"].pk).update(
        collectivity=town, registered_by=bruno
    )
    for registration in registrations.values():
        registration.refresh_from_db()
    return registrations


def url(event, suffix=""):
    return f"/admin/evenements/{event.pk}/inscriptions/{suffix}"


# --- Listing -------------------------------------------------------------------------


def test_organizer_sees_registrations_with_counts_and_positions(
    client, organizer, training, filled
):
    client.force_login(organizer)
    response = client.get(url(training))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "2 confirmées" in text
    assert "2 en liste d'attente" in text
    assert "1 annulée" in text
    assert re.search(r"\b0 places? restantes?", text)
    for name in ["Alice Durand", "Bruno Petit", "Chloé Roux", "David Leroy"]:
        assert name in text
    assert "Ville de Vitré" in text
    assert "Adjointe au numérique" in text
    assert "Liste d'attente (position 1)" in text
    assert "Liste d'attente (position 2)" in text
    # Alice was registered by Bruno.
    row = re.search(r"Alice Durand.*?</tr>", response.content.decode(), re.DOTALL)
    assert "Bruno Petit" in row.group(0)


def test_the_listing_filters_by_status(client, organizer, training, filled):
    client.force_login(organizer)
    text = visible_text(client.get(url(training) + "?statut=attente").content.decode())
    assert "Chloé Roux" in text and "David Leroy" in text
    assert "Alice Durand" not in text and "Emma Blanc" not in text
    text = visible_text(client.get(url(training) + "?statut=annulee").content.decode())
    assert "Emma Blanc" in text and "Alice Durand" not in text
    # An unknown filter shows everybody rather than failing.
    assert client.get(url(training) + "?statut=%3Cx%3E").status_code == 200


def test_the_listing_reads_a_constant_number_of_queries(client, organizer, section):
    event = EventPageFactory(parent=section("evenements"), capacity=3)
    town = CollectivityPageFactory(parent=section("membres"))
    client.force_login(organizer)

    def add(count):
        for _ in range(count):
            registration = register(event, person())
            Registration.objects.filter(pk=registration.pk).update(
                collectivity=town, registered_by=organizer
            )

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url(event)).status_code == 200
        return len(context)

    add(2)
    client.get(url(event))  # Warm the caches (site root paths, permissions…).
    few = queries()
    add(5)  # Confirmed and waiting now.
    assert queries() == few


def test_the_event_admin_page_links_to_its_registrations(
    client, organizer, training, representative
):
    client.force_login(organizer)
    edit = client.get(f"/admin/pages/{training.pk}/edit/").content.decode()
    assert url(training) in edit
    explorer = client.get(f"/admin/pages/{training.get_parent().pk}/").content.decode()
    assert url(training) in explorer
    # Not on other pages.
    home = client.get(f"/admin/pages/{training.get_parent().pk}/edit/").content.decode()
    assert "/inscriptions/" not in home


# --- Who gets in ---------------------------------------------------------------------

GET_SUFFIXES = ["", "export.csv", "export.xlsx", "emargement/", "ecrire/"]


def test_people_who_may_not_edit_the_event_are_kept_out(
    client, training, filled, representative
):
    participant = filled["alice"].user
    alice = filled["alice"]
    waiting = filled["chloe"]
    post_suffixes = [
        (f"{alice.pk}/presence/", {"attended": "1"}),
        (f"{alice.pk}/annuler/", {}),
        (f"{waiting.pk}/promouvoir/", {}),
        ("ecrire/", {"subject": "Bonjour", "message": "Un message"}),
    ]
    # Anonymous people and participants: sent to the login page.
    for user in (None, participant):
        client.logout()
        if user:
            client.force_login(user)
        for suffix in GET_SUFFIXES:
            response = client.get(url(training, suffix))
            assert response.status_code == 302, suffix
            assert "/accounts/login/" in response["Location"]
        for suffix, data in post_suffixes:
            assert client.post(url(training, suffix), data).status_code == 302
    # Somebody who uses the admin but may not edit this event: refused, the
    # admin's way (back to the dashboard, with "no permission").
    client.force_login(representative)
    for suffix in GET_SUFFIXES:
        response = client.get(url(training, suffix))
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    for suffix, data in post_suffixes:
        response = client.post(url(training, suffix), data)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    refused = client.get(url(training), follow=True).content.decode()
    assert "Alice Durand" not in refused and "alice@vitre.fr" not in refused
    alice.refresh_from_db()
    waiting.refresh_from_db()
    assert alice.status == RegistrationStatus.CONFIRMED and alice.attended is None
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert not [m for m in mail.outbox if m.subject == "[Retex] Bonjour"]
    # Nor do they see the button.
    edit = client.get(f"/admin/pages/{training.pk}/edit/")
    assert url(training) not in edit.content.decode()


def test_an_unknown_event_or_another_events_registration_is_a_404(
    client, organizer, training, filled, section
):
    client.force_login(organizer)
    assert client.get("/admin/evenements/999999/inscriptions/").status_code == 404
    other = EventPageFactory(parent=section("evenements"))
    response = client.post(
        url(other, f"{filled['alice'].pk}/presence/"), {"attended": "1"}
    )
    assert response.status_code == 404


# --- Exports -------------------------------------------------------------------------


def test_csv_export(client, organizer, training, filled):
    client.force_login(organizer)
    response = client.get(url(training, "export.csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 5
    alice = next(row for row in rows if row["Prénom"] == "Alice")
    assert alice["Nom"] == "Durand"
    assert alice["Adresse électronique"] == "alice@vitre.fr"
    assert alice["Collectivité"] == "Ville de Vitré"
    assert alice["Fonction"] == "Adjointe au numérique"
    assert alice["État"] == "Confirmée"
    assert alice["Inscrit·e par"] == "Bruno Petit"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", alice["Inscrit·e le"])
    assert alice["Présence"] == ""
    statuses = {row["Prénom"]: row["État"] for row in rows}
    assert statuses["Emma"] == "Annulée"
    assert statuses["David"] == "Liste d'attente"
    assert {row["Position en liste d'attente"] for row in rows} == {"", "1", "2"}


def test_xlsx_export(client, organizer, training, filled):
    Registration.objects.filter(pk=filled["bruno"].pk).update(attended=True)
    client.force_login(organizer)
    response = client.get(url(training, "export.xlsx"))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headings = rows[0]
    assert headings[:6] == (
        "Nom",
        "Prénom",
        "Adresse électronique",
        "Collectivité",
        "Fonction",
        "État",
    )
    assert "Inscrit·e le" in headings and "Présence" in headings
    by_name = {row[1]: dict(zip(headings, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Alice", "Bruno", "Chloé", "David", "Emma"}
    assert by_name["Bruno"]["Présence"] == "présent·e"
    assert by_name["Alice"]["Collectivité"] == "Ville de Vitré"
    assert isinstance(by_name["Alice"]["Inscrit·e le"], datetime.datetime)


def test_exports_keep_formulas_as_text(client, organizer, training):
    sneaky = person(first_name='=HYPERLINK("http://x")', last_name="Durand")
    register(training, sneaky)
    client.force_login(organizer)
    text = client.get(url(training, "export.csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(url(training, "export.xlsx")).content)
    ).active
    assert sheet["B2"].value.startswith("'=")


# --- Sign-in sheet -------------------------------------------------------------------


def test_sign_in_sheet_has_one_page_per_session_with_confirmed_people(
    client, organizer, training, filled
):
    day = timezone.localtime(training.start)
    EventSession.objects.create(
        page=training, start=day, end=day + datetime.timedelta(hours=3), label="Jour 1"
    )
    EventSession.objects.create(
        page=training,
        start=day + datetime.timedelta(days=1),
        end=day + datetime.timedelta(days=1, hours=3),
        label="Jour 2",
    )
    client.force_login(organizer)
    response = client.get(url(training, "emargement/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "@media print" in html and "break-before: page" in html
    assert html.count('<section class="sheet">') == 2
    sheets = html.split('<section class="sheet">')[1:]
    for sheet, label in zip(sheets, ["Jour 1", "Jour 2"], strict=True):
        text = visible_text(sheet)
        assert "Feuille d'émargement — Cybersécurité des élus" in text
        assert label in text
        assert "Signature" in text
        assert "Maison des associations" in text
        assert "DURAND" in text and "PETIT" in text
        # Waiting and cancelled people are not on the sheet.
        assert "ROUX" not in text and "LEROY" not in text and "BLANC" not in text
        assert "2 participant·e·s inscrit·e·s" in text


def test_sign_in_sheet_without_sessions_uses_the_event_dates(
    client, organizer, training, filled
):
    client.force_login(organizer)
    html = client.get(url(training, "emargement/")).content.decode()
    assert html.count('<section class="sheet">') == 1
    start = timezone.localtime(training.start)
    minutes = f" {start:%M}" if start.minute else ""
    assert f"{start.hour} h{minutes}" in visible_text(html)  # « 9 h 30 »


# --- Attendance, cancellation, promotion ---------------------------------------------


def test_marking_attendance(client, organizer, training, filled):
    alice, bruno = filled["alice"], filled["bruno"]
    client.force_login(organizer)
    response = client.post(
        url(training, f"{alice.pk}/presence/"), {"attended": "1"}, follow=True
    )
    assert "Alice Durand est noté·e présent·e." in visible_text(
        response.content.decode()
    )
    client.post(url(training, f"{bruno.pk}/presence/"), {"attended": "0"})
    alice.refresh_from_db()
    bruno.refresh_from_db()
    assert alice.attended is True and alice.certificate_code
    assert bruno.attended is False and not bruno.certificate_code
    # Somebody waiting cannot be marked.
    chloe = filled["chloe"]
    response = client.post(
        url(training, f"{chloe.pk}/presence/"), {"attended": "1"}, follow=True
    )
    assert "Seule une inscription confirmée peut être pointée." in visible_text(
        response.content.decode()
    )
    chloe.refresh_from_db()
    assert chloe.attended is None
    # Changes are POST only.
    assert client.get(url(training, f"{alice.pk}/presence/")).status_code == 405


def test_changes_need_the_csrf_token(organizer, training, filled):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)
    alice = filled["alice"]
    response = client.post(url(training, f"{alice.pk}/presence/"), {"attended": "1"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.attended is None


def test_cancelling_someone_gives_the_seat_to_the_first_waiting(
    client, organizer, training, filled, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(training, f"{filled['bruno'].pk}/annuler/"), follow=True
        )
    assert "L'inscription de Bruno Petit est annulée" in visible_text(
        response.content.decode()
    )
    statuses = dict(
        Registration.objects.filter(event=training).values_list(
            "user__first_name", "status"
        )
    )
    assert statuses["Bruno"] == RegistrationStatus.CANCELLED
    assert statuses["Chloé"] == RegistrationStatus.CONFIRMED
    assert statuses["David"] == RegistrationStatus.WAITLISTED
    assert {m.to[0] for m in mail.outbox} >= {"bruno@ville.fr", "chloe@ville.fr"}


def test_promoting_someone_waiting(client, organizer, training, filled):
    client.force_login(organizer)
    david = filled["david"]
    full = client.post(url(training, f"{david.pk}/promouvoir/"), follow=True)
    assert "Il n'y a plus de place" in visible_text(full.content.decode())
    david.refresh_from_db()
    assert david.status == RegistrationStatus.WAITLISTED
    # One more seat, without promoting anybody automatically: the organizer picks.
    EventPage.objects.filter(pk=training.pk).update(capacity=3)
    response = client.post(url(training, f"{david.pk}/promouvoir/"), follow=True)
    assert "David Leroy a une place" in visible_text(response.content.decode())
    david.refresh_from_db()
    assert david.status == RegistrationStatus.CONFIRMED
    chloe = filled["chloe"]
    chloe.refresh_from_db()
    assert chloe.status == RegistrationStatus.WAITLISTED


# --- Writing to participants ---------------------------------------------------------


def test_writing_to_participants_sends_one_email_each(
    client, organizer, training, filled, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    assert client.get(url(training, "ecrire/")).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(training, "ecrire/"),
            {"subject": "Salle changée", "message": "Rendez-vous salle B."},
            follow=True,
        )
    assert "Message envoyé à 2 personne(s)" in visible_text(response.content.decode())
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@vitre.fr", "bruno@ville.fr"]
    for message in mail.outbox:
        assert message.subject == "[Retex] Salle changée"
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert "Rendez-vous salle B." in message.body
        assert "Cybersécurité des élus" in message.body
        others = {"alice@vitre.fr", "bruno@ville.fr"} - {message.to[0]}
        assert not any(address in message.body for address in others)
    assert "Bonjour Alice," in next(
        m.body for m in mail.outbox if m.to == ["alice@vitre.fr"]
    )


def test_writing_also_to_the_waitlist(
    client, organizer, training, filled, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(training, "ecrire/"),
            {"subject": "Infos", "message": "Texte", "include_waitlisted": "on"},
        )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@vitre.fr",
        "bruno@ville.fr",
        "chloe@ville.fr",
        "david@ville.fr",
    ]


def test_writing_needs_a_subject_and_a_message(client, organizer, training, filled):
    client.force_login(organizer)
    mail.outbox.clear()
    response = client.post(url(training, "ecrire/"), {"subject": "", "message": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"subject", "message"}
    assert not mail.outbox
