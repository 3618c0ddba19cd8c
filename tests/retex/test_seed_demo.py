"""`seed_demo` fills the whole page tree with French content, and is idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from events.models import EventPage
from knowledge.models import ArticlePage
from members.models import CollectivityPage
from retex.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def page_tree():
    return [
        (page.path, page.slug, page.title, page.content_type.model, page.live)
        for page in Page.objects.order_by("path").select_related("content_type")
    ]


def test_running_seed_demo_twice_gives_the_same_tree():
    call_command("seed_demo", verbosity=0)
    first = page_tree()
    revisions = sum(1 for _ in Page.objects.filter(latest_revision__isnull=False))
    call_command("seed_demo", verbosity=0)
    assert page_tree() == first
    assert (
        sum(1 for _ in Page.objects.filter(latest_revision__isnull=False)) == revisions
    )


def test_seed_demo_fills_every_section_and_the_footer(client):
    call_command("seed_demo", verbosity=0)
    assert ArticlePage.objects.live().count() >= 5
    assert CollectivityPage.objects.live().count() >= 10
    assert StandardPage.objects.live().filter(slug="accessibilite").exists()
    assert SiteSettings.load().footer_links
    upcoming = EventPage.objects.live().filter(start__gte=timezone.now())
    past = EventPage.objects.live().filter(end__lt=timezone.now())
    assert upcoming.exists()
    assert past.exists()
    restricted = 0
    for page in Page.objects.live().filter(depth__gte=2).specific():
        expected = 403 if page.get_view_restrictions() else 200
        restricted += expected == 403
        assert client.get(page.url).status_code == expected, page.url
    assert restricted == 1, "one members-only page shows its teaser"


def test_seed_demo_keeps_pages_written_by_editors(home_page):
    from tests.factories import StandardPageFactory

    own = StandardPageFactory(parent=home_page, title="Notre charte")
    call_command("seed_demo", verbosity=0)
    assert Page.objects.filter(pk=own.pk, title="Notre charte").exists()
