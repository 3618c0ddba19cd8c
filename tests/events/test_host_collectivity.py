"""Events hosted by a member collectivity (issue 18): the event page names its
host and links to its profile; the profile counts the events it hosted, past and
upcoming, among those the reader may see; the page cache follows a change of
host at once."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.collectivity_story import collectivity_events
from events.models import EventPage
from members.models import CollectivityPage, MembershipStatus
from retex import page_cache
from retex.visibility import MEMBERS_GROUP
from tests.factories import CollectivityPageFactory, EventPageFactory, UserFactory
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def lannion(section):
    return publish(
        CollectivityPageFactory(
            parent=section("membres"),
            title="Ville de Lannion",
            membership_status=MembershipStatus.ACTIVE,
        )
    )


@pytest.fixture
def cache_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-hosted-events",
        },
    }
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


def event(section, *, host=None, days=10, title=None, live=True):
    start = timezone.localtime().replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + datetime.timedelta(days=days)
    page = EventPageFactory(
        parent=section("evenements"),
        start=start,
        end=start + datetime.timedelta(hours=3),
        host_collectivity=host,
        live=live,
        **({"title": title} if title else {}),
    )
    return publish(page) if live else page


def restrict_to_members(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])


def text_of(response) -> str:
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_the_event_page_names_its_host_with_a_link_to_its_profile(
    client, section, lannion
):
    hosted = event(section, host=lannion, title="Rencontre bretonne des tiers-lieux")
    other = event(section, title="Webinaire sans hôte")

    response = client.get(hosted.url)

    assert "Collectivité d'accueil Ville de Lannion" in text_of(response)
    assert f'href="{lannion.url}"' in response.content.decode()
    assert "Collectivité d'accueil" not in text_of(client.get(other.url))


def test_the_profile_counts_hosted_events_past_and_upcoming(
    client, section, lannion, committed
):
    event(section, host=lannion, days=-40)
    event(section, host=lannion, days=-10)
    event(section, host=lannion, days=12)
    event(section, host=lannion, days=20, live=False)  # a draft: not counted
    committed(restrict_to_members, event(section, host=lannion, days=30))
    event(section, days=5)  # hosted by nobody

    anonymous = text_of(client.get(lannion.url))
    assert "3 événements accueillis, dont 1 à venir." in anonymous

    member = UserFactory()
    member.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    client.force_login(member)
    assert "4 événements accueillis, dont 2 à venir." in text_of(
        client.get(lannion.url)
    )


def test_a_profile_without_hosted_events_says_nothing_of_them(client, section, lannion):
    event(section)
    assert "accueilli" not in text_of(client.get(lannion.url))


def test_deleting_the_host_keeps_the_event(section, lannion):
    hosted = event(section, host=lannion)
    CollectivityPage.objects.filter(pk=lannion.pk).delete()
    hosted = EventPage.objects.get(pk=hosted.pk)
    assert hosted.host_collectivity_id is None


def test_the_counts_take_two_queries_whatever_the_number_of_events(section, lannion):
    anybody = UserFactory()
    event(section, host=lannion)
    collectivity_events(lannion, user=anybody)  # what the person may see: read once
    with CaptureQueriesContext(connection) as one:
        collectivity_events(lannion, user=anybody)
    for days in (-30, -20, 15, 25, 35):
        event(section, host=lannion, days=days)
    with CaptureQueriesContext(connection) as six:
        section_data = collectivity_events(lannion, user=anybody)
    assert section_data["context"]["hosted_past"] == 2
    assert section_data["context"]["hosted_upcoming"] == 4
    assert len(six) == len(one) <= 2


def test_a_new_host_shows_at_once_on_the_cached_profile_and_event(
    cache_on, section, lannion, committed
):
    hosted = event(section)
    visitor = Client()
    visitor.get(lannion.url)
    assert visitor.get(lannion.url).headers["X-Cache"] == "HIT"
    visitor.get(hosted.url)
    assert visitor.get(hosted.url).headers["X-Cache"] == "HIT"

    hosted.host_collectivity = lannion
    committed(publish, hosted)

    response = visitor.get(lannion.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "1 événement accueilli, dont 1 à venir." in text_of(response)
    assert "Ville de Lannion" in text_of(visitor.get(hosted.url))

    # The host renamed: its name on the event page changes at once.
    visitor.get(hosted.url)
    assert visitor.get(hosted.url).headers["X-Cache"] == "HIT"
    lannion.title = "Lannion-Trégor"
    committed(publish, lannion)
    response = visitor.get(hosted.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "Collectivité d'accueil Lannion-Trégor" in text_of(response)


def test_demo_events_are_hosted_by_member_collectivities(client):
    call_command("seed_demo", verbosity=0)
    hosted = EventPage.objects.get(slug="rencontre-bretagne-mediation-tiers-lieux")
    assert hosted.host_collectivity.slug == "ville-de-lannion"
    assert "Collectivité d'accueil Ville de Lannion" in text_of(client.get(hosted.url))
    assert "événement accueilli" in text_of(client.get(hosted.host_collectivity.url))
    assert EventPage.objects.filter(host_collectivity__isnull=False).count() == 5
