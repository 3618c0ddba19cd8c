"""What the knowledge pages compute on a cold render (issue #19), made cheaper
without changing what anybody sees: the visibility rule as one subquery, the
years one look-up per year, filtered listings without DISTINCT, related pages
chosen on the themes' links and shared by those who see the same pages."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import Page, PageViewRestriction

from knowledge.selectors import knowledge_listing, knowledge_related, knowledge_years
from members.territories import Region
from retex.visibility import pages_visible_to
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import publish

pytestmark = pytest.mark.django_db


def members_only(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    return page


@pytest.fixture
def member():
    person = UserFactory()
    person.groups.add(Group.objects.get(name="Membres"))
    return person


def article(section, title, day, themes=()):
    page = ArticlePageFactory(
        parent=section("ressources"), title=title, publication_date=day
    )
    page.themes = list(themes)
    return publish(page)


def test_years_are_those_with_a_visible_page_newest_first_gaps_included(
    section, member
):
    for title, day in [
        ("A", datetime.date(2019, 5, 1)),
        ("B", datetime.date(2021, 2, 1)),
        ("C", datetime.date(2021, 12, 31)),
        ("D", datetime.date(2024, 1, 1)),
    ]:
        article(section, title, day)
    members_only(article(section, "Réservé", datetime.date(2016, 6, 6)))

    assert knowledge_years(user=AnonymousUser()) == [2024, 2021, 2019]
    assert knowledge_years(user=member) == [2024, 2021, 2019, 2016]


def test_a_restricted_page_hides_itself_and_its_descendants_only(section, member):
    first = article(section, "Premier", datetime.date(2024, 1, 1))
    # The whole /ressources/ section behind the members' restriction.
    members_only(section("ressources"))

    visible = set(pages_visible_to(Page.objects.all()).values_list("pk", flat=True))

    assert section("ressources").pk not in visible
    assert first.pk not in visible
    # Its siblings, whose paths sort right after it, stay visible.
    assert section("membres").pk in visible
    assert section("evenements").pk in visible
    assert first.pk in set(
        pages_visible_to(Page.objects.all(), user=member).values_list("pk", flat=True)
    )


def test_a_page_matching_a_filter_through_several_links_is_listed_once(section):
    members = section("membres")
    town = CollectivityPageFactory(parent=members, region=Region.BRETAGNE)
    other = CollectivityPageFactory(parent=members, region=Region.BRETAGNE)
    practice = PracticePageFactory(
        parent=section("ressources"),
        title="Pratique bretonne",
        collectivity=town,
        publication_date=datetime.date(2024, 3, 3),
    )
    practice.related_collectivities = [town, other]
    publish(practice)
    article(section, "Ailleurs", datetime.date(2025, 1, 1))

    listed = knowledge_listing(
        user=AnonymousUser(), filters={"region": Region.BRETAGNE}
    )

    assert [page.title for page in listed] == ["Pratique bretonne"]
    assert listed.count() == 1


def test_related_pages_share_the_most_themes_then_are_the_newest(section, member):
    a, b, c = ThemeFactory(), ThemeFactory(), ThemeFactory()
    page = article(section, "La page", datetime.date(2024, 1, 1), [a, b, c])
    article(section, "Un thème, récent", datetime.date(2025, 6, 1), [a])
    article(section, "Deux thèmes, ancien", datetime.date(2018, 1, 1), [a, b])
    article(section, "Deux thèmes, récent", datetime.date(2023, 1, 1), [b, c])
    article(section, "Sans rapport", datetime.date(2025, 7, 1), [ThemeFactory()])
    members_only(
        article(section, "Trois thèmes, réservé", datetime.date(2020, 1, 1), [a, b, c])
    )

    def related(user):
        return [p.title for p in knowledge_related(page, user=user)]

    assert related(AnonymousUser()) == [
        "Deux thèmes, récent",
        "Deux thèmes, ancien",
        "Un thème, récent",
    ]
    assert related(member) == [
        "Trois thèmes, réservé",
        "Deux thèmes, récent",
        "Deux thèmes, ancien",
    ]


def test_related_pages_kept_for_visitors_never_reach_members_nor_go_stale(
    section, member, settings, committed
):
    settings.PAGE_CACHE_SECONDS = 300  # remember_for_visibility keeps them.
    a = ThemeFactory()
    page = committed(article, section, "La page", datetime.date(2024, 1, 1), [a])
    committed(article, section, "Public", datetime.date(2022, 1, 1), [a])
    reserved = committed(article, section, "Réservé", datetime.date(2023, 1, 1), [a])
    committed(members_only, reserved)

    def related(user):
        return [p.title for p in knowledge_related(page, user=user)]

    assert related(AnonymousUser()) == ["Public"]
    assert related(member) == ["Réservé", "Public"]
    # A new page sharing the theme is chosen at once (its creation changes
    # the selection), and a retitled one shows its new title.
    committed(article, section, "Nouveau", datetime.date(2025, 1, 1), [a])
    assert related(AnonymousUser()) == ["Nouveau", "Public"]
    public = Page.objects.get(title="Public").specific
    public.title = "Public, retitré"
    committed(publish, public)
    assert related(AnonymousUser()) == ["Nouveau", "Public, retitré"]
