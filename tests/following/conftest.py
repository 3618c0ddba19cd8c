import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from knowledge.models import KnowledgePage
from retex.visibility import MEMBERS_GROUP
from tests.factories import ArticlePageFactory, ThemeFactory, verified_person
from tests.helpers import publish


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = "https://retex.example.org"


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Tiers-lieux", slug="tiers-lieux")


def published_yesterday(page):
    """Give a published page a first publication in yesterday's digest period."""
    when = timezone.now() - datetime.timedelta(days=1)
    KnowledgePage.objects.filter(pk=page.pk).update(first_published_at=when)
    page.first_published_at = when
    return page


@pytest.fixture
def article(section, theme, committed):
    def make(title="Ouvrir un tiers-lieu numérique", parent=None, themes=(theme,)):
        page = ArticlePageFactory(parent=parent or section("ressources"), title=title)
        page.themes.set(themes)
        committed(publish, page)  # Its search entry is written after the commit.
        return published_yesterday(page)

    return make


def members_only(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])
    return page


def member(email="membre@lannion.fr", **fields):
    person = verified_person(email, **fields)
    person.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    return person
