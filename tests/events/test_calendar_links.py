"""« Ajouter à mon agenda »: the .ics, and Google / Outlook.com links built from
the event; the private feed address, copyable, with how to subscribe."""

import datetime
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from events.calendar import external_calendar_links
from tests.factories import EventPageFactory
from tests.factories import verified_person as person
from tests.html import visible_text

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def event(section):
    start = datetime.datetime(2027, 1, 1, 9, 30, tzinfo=PARIS)
    return EventPageFactory(
        parent=section("evenements"),
        title="Vœux numériques",
        start=start,
        end=start + datetime.timedelta(hours=7, minutes=30),
        venue="Hôtel de ville",
        postcode="35000",
        city="Rennes",
    )


def test_google_and_outlook_links_carry_the_event_in_utc(event):
    links = external_calendar_links(event)
    google = urlsplit(links["google"])
    assert google.netloc == "calendar.google.com"
    query = parse_qs(google.query)
    assert query["text"] == ["Vœux numériques"]
    assert query["dates"] == ["20270101T083000Z/20270101T160000Z"]
    assert "Rennes" in query["location"][0]
    assert event.url in query["details"][0]
    outlook = parse_qs(urlsplit(links["outlook"]).query)
    assert outlook["subject"] == ["Vœux numériques"]
    assert outlook["startdt"] == ["2027-01-01T08:30:00Z"]
    assert outlook["enddt"] == ["2027-01-01T16:00:00Z"]


def test_the_page_offers_the_three_ways(client, event):
    html = client.get(event.url).content.decode()
    text = visible_text(html)
    assert "Ajouter à mon agenda" in text
    assert f'href="{event.url}evenement.ics"' in html
    assert "https://calendar.google.com/calendar/render?" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    # Dates read the French way.
    assert "vendredi 1er janvier 2027, de 9 h 30 à 17 h" in text


def test_the_feed_address_is_a_read_only_field_with_a_copy_button_and_help(client):
    client.force_login(person())
    client.post(reverse("calendar_token_reset"))
    html = client.get("/mon-espace/").content.decode()
    assert 'id="private-feed-url" type="text" readonly' in html
    assert 'data-copy="private-feed-url"' in html
    assert "hidden>Copier l'adresse</button>" in html  # Shown by the script.
    assert "events/copy-field" in html
    text = visible_text(html)
    assert "Comment s'abonner dans mon agenda" in text
    assert "Google Agenda" in text and "Thunderbird" in text
