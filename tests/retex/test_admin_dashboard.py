"""The admin is the association's: its name and logo, and a dashboard with what
editors need (reports to handle, next events' fill rate, searches without
results), each panel shown only to those it concerns."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from aid.questions import question_create, report_create
from events.models import Registration, RegistrationStatus
from retex.models import SiteSettings
from search.models import SearchQueryStat
from tests.aid.conftest import member_of, verified_user
from tests.factories import (
    CollectivityPageFactory,
    EventPageFactory,
    UserFactory,
    give_mfa,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = verified_user("redaction@reseau.fr", first_name="Éva", last_name="Dupuis")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    return give_mfa(user)


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_carries_the_association_name_and_logo(client, editor):
    settings = SiteSettings.load()
    settings.association_name = "Réseau des territoires numériques"
    settings.save()
    html = dashboard(client, editor)
    assert "Administration de Réseau des territoires numériques" in html
    assert "img/logo.svg" in html
    assert "Sign in to Wagtail" not in html


def test_editors_see_the_reports_waiting_oldest_first(client, editor, section):
    place = CollectivityPageFactory(
        parent=section("membres"), email_domains="lannion.fr"
    )
    asker = member_of(place, "a.le-goff@lannion.fr")
    reader = member_of(place, "j.martin@lannion.fr")
    question, _ = question_create(
        author=asker,
        title="Comment archiver les courriels des élus ?",
        details="Nous cherchons une solution.",
        token=uuid.uuid4(),
    )
    report_create(user=reader, reason="Propos déplacés", question_id=question.pk)
    handled = report_create(user=asker, reason="Déjà traité", question_id=question.pk)
    handled.handled = True
    handled.save()

    text = visible_text(dashboard(client, editor))
    assert "Signalements à traiter (1)" in text
    assert "« Comment archiver les courriels des élus ? »" in text
    assert "Propos déplacés" in text
    assert "Déjà traité" not in text


def test_next_events_show_how_full_they_are(client, editor, section):
    event = EventPageFactory(
        parent=section("evenements"), capacity=20, title="Atelier RGPD"
    )
    for _n in range(18):
        Registration.objects.create(
            event=event,
            user=UserFactory(),
            status=RegistrationStatus.CONFIRMED,
        )
    Registration.objects.create(
        event=event, user=UserFactory(), status=RegistrationStatus.WAITLISTED
    )
    EventPageFactory(
        parent=section("evenements"),
        title="Atelier déjà passé",
        start=timezone.now() - datetime.timedelta(days=3),
        end=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    text = visible_text(dashboard(client, editor))
    assert "Prochains événements : inscriptions" in text
    assert "Atelier RGPD" in text
    assert "18 / 20 (90 %), 1 en attente" in text
    assert "Atelier déjà passé" not in text


def test_searches_without_results_are_listed(client, editor):
    today = timezone.localdate()
    SearchQueryStat.objects.create(
        day=today, query="visioguichet", searches=4, without_results=4
    )
    SearchQueryStat.objects.create(
        day=today, query="cybersécurité", searches=9, without_results=0
    )
    text = visible_text(dashboard(client, editor))
    assert "Recherches sans résultat (30 derniers jours)" in text
    assert "visioguichet" in text
    assert "cybersécurité" not in text


def test_panels_are_only_for_those_they_concern(client, section):
    """A staff member without the editors' rights sees none of these panels."""
    someone = give_mfa(verified_user("stagiaire@reseau.fr", is_staff=True))
    from django.contrib.auth.models import Permission

    someone.user_permissions.add(Permission.objects.get(codename="access_admin"))
    EventPageFactory(parent=section("evenements"), capacity=10)
    text = visible_text(dashboard(client, someone))
    assert "Signalements à traiter" not in text
    assert "Prochains événements" not in text
    assert "Recherches sans résultat" not in text
