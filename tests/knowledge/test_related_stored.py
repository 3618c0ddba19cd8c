"""Related content chosen when pages are written (`knowledge.related`, issue
#19): after every kind of write, what a page shows is what ranking the pages
its reader may see would give, members-only pages never reach anyone else, and
the page cache throws away only the pages whose choice changed."""

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import caches
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from knowledge.models import KnowledgePage, RelatedPage, RelatedSelection
from knowledge.related import choose_now
from knowledge.selectors import knowledge_related
from retex import page_cache
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    person = UserFactory()
    person.groups.add(Group.objects.get(name="Membres"))
    return person


@pytest.fixture
def themes():
    return [ThemeFactory(name=name) for name in ("Eau", "Énergie", "Mobilités")]


@pytest.fixture
def write(section, committed):
    """Helpers that write as an editor does, each committed (its tasks run)."""

    class Writer:
        def article(self, title, day, page_themes):
            page = ArticlePageFactory.build(title=title, publication_date=day)
            page.themes = list(page_themes)

            def create():
                section("ressources").add_child(instance=page)
                publish(page)

            committed(create)
            return KnowledgePage.objects.get(pk=page.pk).specific

        def republish(self, page, **changes):
            page = KnowledgePage.objects.get(pk=page.pk).specific
            for name, value in changes.items():
                setattr(page, name, value)
            committed(publish, page)
            return page

        def unpublish(self, page):
            committed(KnowledgePage.objects.get(pk=page.pk).unpublish)

        def delete(self, page):
            committed(KnowledgePage.objects.get(pk=page.pk).delete)

        def members_only(self, page):
            def restrict():
                restriction = PageViewRestriction.objects.create(
                    page=page, restriction_type=PageViewRestriction.GROUPS
                )
                restriction.groups.set([Group.objects.get(name="Membres")])

            committed(restrict)

        def public(self, page):
            committed(PageViewRestriction.objects.filter(page=page).delete)

    return Writer()


def titles(pages):
    return [page.title for page in pages]


def assert_stored_choices_are_right(member):
    """Every live page has a stored choice, and it shows each reader what
    ranking their own visible pages gives."""
    for page in KnowledgePage.objects.live():
        page = page.specific
        assert RelatedSelection.objects.filter(page=page).exists(), page.title
        theme_ids = sorted(theme.pk for theme in page.themes.all())
        for user in (AnonymousUser(), member):
            expected = choose_now(page, theme_ids, user=user) if theme_ids else []
            shown = [p.pk for p in knowledge_related(page, user=user)]
            assert shown == expected, (page.title, user)


@pytest.fixture
def corpus(write, themes):
    eau, energie, mobilites = themes
    day = datetime.date
    return {
        "page": write.article("La page", day(2024, 1, 1), [eau, energie, mobilites]),
        "one_recent": write.article("Un thème, récent", day(2025, 6, 1), [eau]),
        "two_old": write.article(
            "Deux thèmes, ancien", day(2018, 1, 1), [eau, energie]
        ),
        "two_recent": write.article(
            "Deux thèmes, récent", day(2023, 1, 1), [energie, mobilites]
        ),
        "other": write.article("Sans rapport", day(2025, 7, 1), [ThemeFactory()]),
        "alone": write.article("Sans thème", day(2022, 7, 1), []),
    }


def test_the_stored_choice_shows_the_most_shared_themes_then_the_newest(corpus, member):
    page = corpus["page"]

    assert titles(knowledge_related(page, user=AnonymousUser())) == [
        "Deux thèmes, récent",
        "Deux thèmes, ancien",
        "Un thème, récent",
    ]
    assert_stored_choices_are_right(member)


def test_a_members_only_page_is_shown_to_members_only(corpus, write, themes, member):
    reserved = write.article("Trois thèmes, réservé", datetime.date(2020, 1, 1), themes)
    write.members_only(reserved)

    assert "Trois thèmes, réservé" not in titles(
        knowledge_related(corpus["page"], user=AnonymousUser())
    )
    assert titles(knowledge_related(corpus["page"], user=member))[0] == (
        "Trois thèmes, réservé"
    )
    assert_stored_choices_are_right(member)

    write.public(reserved)

    assert titles(knowledge_related(corpus["page"], user=AnonymousUser()))[0] == (
        "Trois thèmes, réservé"
    )
    assert_stored_choices_are_right(member)


def test_a_new_page_reaches_the_pages_it_now_ranks_in(corpus, write, themes, member):
    write.article("Tout nouveau", datetime.date(2026, 1, 1), themes[:2])

    assert titles(knowledge_related(corpus["page"], user=AnonymousUser()))[0] == (
        "Tout nouveau"
    )
    assert_stored_choices_are_right(member)


@pytest.mark.parametrize(
    "change",
    ["themes", "date", "unpublish", "delete", "republish_unchanged", "theme_deleted"],
)
def test_the_stored_choices_stay_right_after_each_kind_of_write(
    corpus, write, themes, member, change, committed
):
    mobilites = themes[2]
    shown = corpus["two_recent"]
    if change == "themes":
        write.republish(shown, themes=[ThemeFactory()])
    elif change == "date":
        write.republish(shown, publication_date=datetime.date(2010, 1, 1))
    elif change == "unpublish":
        write.unpublish(shown)
    elif change == "delete":
        write.delete(shown)
    elif change == "republish_unchanged":
        write.republish(shown, title="Deux thèmes, récent, corrigé")
    else:
        committed(mobilites.delete)

    related = titles(knowledge_related(corpus["page"], user=AnonymousUser()))
    if change == "republish_unchanged":
        assert related[0] == "Deux thèmes, récent, corrigé"
    elif change == "date":  # Now older than the other page sharing two themes.
        assert related[:2] == ["Deux thèmes, ancien", "Deux thèmes, récent"]
    elif change == "theme_deleted":  # It now shares one theme only.
        assert related == [
            "Deux thèmes, ancien",
            "Un thème, récent",
            "Deux thèmes, récent",
        ]
    else:
        assert "Deux thèmes, récent" not in related
    assert_stored_choices_are_right(member)


def test_the_rebuild_command_makes_the_same_choices(corpus, member):
    before = sorted(RelatedPage.objects.values_list("page_id", "related_id", "rank"))
    RelatedPage.objects.all().delete()
    RelatedSelection.objects.all().delete()

    call_command("rebuild_related_pages", stdout=io.StringIO())

    after = sorted(RelatedPage.objects.values_list("page_id", "related_id", "rank"))
    assert after == before
    assert_stored_choices_are_right(member)


def test_a_page_whose_choice_is_not_stored_yet_chooses_on_render(section, themes):
    # Written without its tasks running (the test's transaction never commits).
    page = ArticlePageFactory(parent=section("ressources"), title="Nouvelle")
    page.themes = themes[:1]
    publish(page)
    other = ArticlePageFactory(parent=section("ressources"), title="Voisine")
    other.themes = themes[:1]
    publish(other)

    assert not RelatedSelection.objects.exists()
    assert titles(knowledge_related(page, user=AnonymousUser())) == ["Voisine"]


# --- The page cache -----------------------------------------------------------


@pytest.fixture
def page_cache_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-pages",
        },
    }
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


def x_cache(client, url):
    return client.get(url).headers.get("X-Cache")


def test_a_new_page_empties_only_the_pages_whose_choice_it_enters(
    page_cache_on, client, corpus, write, themes
):
    for page in corpus.values():
        client.get(page.url)

    write.article("Tout nouveau", datetime.date(2026, 1, 1), themes[:1])

    # « La page » shows it now; « Sans rapport » shares no theme with it.
    response = client.get(corpus["page"].url)
    assert response.headers["X-Cache"] == "MISS"
    assert "Tout nouveau" in response.content.decode()
    assert x_cache(client, corpus["other"].url) == "HIT"


def test_a_collectivity_changes_only_the_knowledge_pages_naming_it(
    page_cache_on, client, corpus, write, section, committed
):
    town = CollectivityPageFactory(parent=section("membres"), title="Lannion")
    elsewhere = CollectivityPageFactory(parent=section("membres"), title="Brest")
    naming = write.republish(corpus["alone"], related_collectivities=[town])
    for page in corpus.values():
        client.get(page.url)
        assert x_cache(client, page.url) == "HIT"

    elsewhere.title = "Brest métropole"
    committed(publish, elsewhere)

    for page in corpus.values():
        assert x_cache(client, page.url) == "HIT", page.title

    town.title = "Lannion-Trégor"
    committed(publish, town)

    response = client.get(naming.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "Lannion-Trégor" in response.content.decode()
    assert x_cache(client, corpus["other"].url) == "HIT"
