"""The agenda `/evenements/`: periods, filters, seats, visibility, queries."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.models import Registration, RegistrationStatus
from tests.factories import EventPageFactory, ThemeFactory, UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

AGENDA = "/evenements/"


@pytest.fixture
def agenda(section):
    return section("evenements")


def at(days, hour=10):
    return timezone.localtime().replace(
        hour=hour, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=days)


def event(agenda, title, days=10, **kwargs):
    start = kwargs.pop("start", None) or at(days)
    return EventPageFactory(
        parent=agenda,
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=2),
        **kwargs,
    )


def titles(client, query=""):
    response = client.get(AGENDA + query)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]*)</a>', html)


def confirm(event, count):
    for _ in range(count):
        Registration.objects.create(
            event=event, user=UserFactory(), status=RegistrationStatus.CONFIRMED
        )


def test_upcoming_first_then_the_past_archive(client, agenda):
    event(agenda, "Dans un mois", days=30)
    event(agenda, "Demain", days=1)
    event(agenda, "Hier", days=-1)
    event(agenda, "Le mois dernier", days=-30)

    assert titles(client) == ["Demain", "Dans un mois"]
    assert titles(client, "?periode=passes") == ["Hier", "Le mois dernier"]


def test_filters_combine(client, agenda):
    data = ThemeFactory(slug="donnees", name="Données")
    rennes = event(agenda, "Formation données Rennes", kind="formation", region="53")
    rennes.themes.add(data)
    rennes.save()
    online = event(
        agenda,
        "Webinaire données",
        kind="webinaire",
        online=True,
        city="",
        audience="elus",
    )
    online.themes.add(data)
    online.save()
    event(agenda, "Formation cyber Lyon", kind="formation", region="84", city="Lyon")
    event(
        agenda,
        "Formation en mars",
        kind="formation",
        start=at(0).replace(year=at(0).year + 1, month=3, day=10),
    )

    assert titles(client, "?kind=formation&region=53") == ["Formation données Rennes"]
    assert titles(client, "?theme=donnees") == [
        "Formation données Rennes",
        "Webinaire données",
    ]
    assert titles(client, "?theme=donnees&format=en-ligne") == ["Webinaire données"]
    assert titles(client, "?format=presentiel&theme=donnees") == [
        "Formation données Rennes"
    ]
    assert titles(client, "?audience=elus") == ["Webinaire données"]
    assert titles(client, f"?month={at(0).year + 1}-03&kind=formation") == [
        "Formation en mars"
    ]


def test_invalid_filters_are_reported_in_french_and_ignored(client, agenda):
    event(agenda, "Formation", kind="formation")
    event(agenda, "Webinaire", kind="webinaire", online=True, city="")

    response = client.get(
        AGENDA + "?kind=inconnu&theme=nulle-part&month=2026-13&region=99"
        "&format=en-ligne&page=abc"
    )

    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert "Type d'événement inconnu : ce filtre n'est pas appliqué." in text
    assert "Thème inconnu : ce filtre n'est pas appliqué." in text
    assert "Région inconnue : ce filtre n'est pas appliqué." in text
    assert "Indiquez un mois sous la forme AAAA-MM" in text
    # The valid filter still applies; the errors sit next to their fields.
    assert titles(client, "?kind=inconnu&format=en-ligne") == ["Webinaire"]
    assert 'id="id_kind-error"' in html
    assert 'aria-describedby="id_kind-error"' in html
    for query in ("?month=%00", "?month=" + "9" * 5000, "?theme=%C3%28", "?kind[]=x"):
        assert client.get(AGENDA + query).status_code == 200


def test_pagination_keeps_the_filters(client, agenda):
    for number in range(22):
        event(agenda, f"Formation {number:02d}", days=number + 1, kind="formation")
    event(agenda, "Webinaire", kind="webinaire")

    html = client.get(AGENDA + "?kind=formation").content.decode()

    assert 'href="?kind=formation&amp;page=2"' in html
    assert titles(client, "?kind=formation&page=2") == ["Formation 20", "Formation 21"]
    past = client.get(AGENDA + "?kind=formation&periode=passes").content.decode()
    assert "Aucun événement ne correspond à ces filtres." in past


def test_cards_show_the_seats_left(client, agenda):
    confirm(event(agenda, "Douze places", days=1, capacity=12), 0)
    confirm(event(agenda, "Une place", days=2, capacity=3), 2)
    confirm(event(agenda, "Liste", days=3, capacity=2, waitlist_enabled=True), 2)
    confirm(event(agenda, "Plein", days=4, capacity=2, waitlist_enabled=False), 2)
    event(agenda, "Illimité", days=5)
    event(agenda, "Annulé", days=6, capacity=10, cancelled=True)

    html = client.get(AGENDA).content.decode()
    cards = re.findall(r'<li class="card card--event">(.*?)</li>', html, re.S)
    seats = {
        re.search(r'card__title"><a [^>]*>([^<]*)<', card)[1]: visible_text(
            card.split("card__title")[1]
        )
        for card in cards
    }

    assert "12 places restantes" in seats["Douze places"]
    assert "1 place restante" in seats["Une place"]
    assert "Liste d'attente" in seats["Liste"]
    assert "Complet" in seats["Plein"]
    assert "place" not in seats["Illimité"]
    assert "Annulé" in seats["Annulé"]


def test_queries_do_not_grow_with_the_number_of_events(client, agenda):
    def agenda_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(AGENDA).status_code == 200
        return len(queries)

    for number in range(2):
        confirm(event(agenda, f"Événement {number}", days=number + 1, capacity=5), 1)
    agenda_queries()  # The first request fills caches (sites, settings).
    few = agenda_queries()
    for number in range(2, 12):
        confirm(event(agenda, f"Événement {number}", days=number + 1, capacity=5), 2)
    many = agenda_queries()

    assert many == few


def test_members_only_registration_shows_restricted_pages_do_not(
    client, agenda, django_user_model
):
    event(agenda, "Inscription réservée", members_only=True)
    restricted = event(agenda, "Page réservée au comité")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    committee = Group.objects.create(name="Comité")
    restriction.groups.add(committee)
    outsider = UserFactory()
    insider = UserFactory()
    insider.groups.add(committee)

    assert titles(client) == ["Inscription réservée"]
    assert "Réservé aux membres" in client.get(AGENDA).content.decode()
    client.force_login(outsider)
    assert titles(client) == ["Inscription réservée"]
    client.force_login(insider)
    assert titles(client) == ["Inscription réservée", "Page réservée au comité"]


def test_agenda_offers_the_feed_with_its_filters(client, agenda):
    ThemeFactory(slug="donnees", name="Données")

    html = client.get(AGENDA + "?theme=donnees&kind=formation&month=2030-01").content
    html = html.decode()

    host = settings.BASE_URL.split("://", 1)[1]  # Not the request's host.
    feed = "/evenements/agenda.ics?kind=formation&amp;theme=donnees"
    assert f'href="webcal://{host}{feed}"' in html
    assert f'href="{settings.BASE_URL}{feed}"' in html
