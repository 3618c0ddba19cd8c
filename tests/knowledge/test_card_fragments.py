"""Resource cards are rendered once and kept (`retex.fragments`,
`knowledge.cards`): a page the page cache does not hold reuses them, yet no
write leaves a card out of date and no card reaches someone who may not read
its page."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from knowledge.models import Interviewee
from retex import page_cache
from retex.visibility import MEMBERS_GROUP
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    InterviewPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def caches_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


@pytest.fixture
def corpus(section, committed):
    index, members = section("ressources"), section("membres")
    theme = ThemeFactory(slug="donnees", name="Données")
    town = committed(
        publish, CollectivityPageFactory(parent=members, title="Ville de Lannion")
    )
    practice = PracticePageFactory(
        parent=index, title="Une pratique", collectivity=town
    )
    practice.themes = [theme]
    committed(publish, practice)
    interview = InterviewPageFactory(parent=index, title="Un entretien")
    interview.themes = [theme]
    interview.interviewees = [
        Interviewee(name="Anne Kervella", function="maire", collectivity=town)
    ]
    committed(publish, interview)
    article = ArticlePageFactory(parent=index, title="Un article")
    article.themes = [theme]
    committed(publish, article)
    return {
        "index": index,
        "town": town,
        "theme": theme,
        "practice": practice,
        "interview": interview,
        "article": article,
    }


class Counter:
    """A fresh URL each time: the page cache never answers, cards may."""

    number = 0

    def get(self, client, url):
        Counter.number += 1
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}_n={Counter.number}")
        assert response.status_code == 200
        assert response.headers.get("X-Cache") != "HIT"
        return response.content.decode()


fresh = Counter()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        fresh.get(client, url)
    return len(captured)


def test_kept_cards_spare_their_queries_and_show_the_same(
    caches_on, settings, client, corpus
):
    url = corpus["index"].url
    first = fresh.get(client, url)
    kept = queries(client, url)
    settings.FRAGMENT_CACHE_SECONDS = 0  # Every card rendered again.
    rendered = queries(client, url)

    assert kept < rendered
    assert visible_text(fresh.get(client, url)) == visible_text(first)
    assert "Anne Kervella maire, Ville de Lannion" in visible_text(first)


def test_fragments_are_off_with_their_own_setting(caches_on, settings, client, corpus):
    settings.FRAGMENT_CACHE_SECONDS = 0
    url = corpus["index"].url
    fresh.get(client, url)

    assert queries(client, url) == queries(client, url)


def test_a_republished_page_changes_its_card_everywhere(
    caches_on, client, corpus, committed
):
    home, index, article = "/", corpus["index"].url, corpus["article"]
    for url in (home, index, corpus["practice"].url):
        assert "Un article" in visible_text(fresh.get(client, url))

    article.title = "Un article renommé"
    article.lead = "Un nouveau chapô."
    committed(publish, article)

    for url in (home, index, corpus["practice"].url):
        text = visible_text(fresh.get(client, url))
        assert "Un article renommé" in text, url
        assert "Un nouveau chapô." in text, url


def test_a_renamed_collectivity_changes_the_cards_naming_it(
    caches_on, client, corpus, committed
):
    index = corpus["index"].url
    assert "Ville de Lannion" in visible_text(fresh.get(client, index))

    town = corpus["town"]
    town.title = "Lannion-Trégor Communauté"
    committed(publish, town)

    text = visible_text(fresh.get(client, index))
    assert "Anne Kervella maire, Lannion-Trégor Communauté" in text
    assert "Ville de Lannion" not in text


def test_an_unpublished_collectivity_leaves_the_practice_card(
    caches_on, client, corpus, committed
):
    index = corpus["index"].url
    fresh.get(client, index)

    committed(corpus["town"].unpublish)

    html = fresh.get(client, index)
    card = html.split("card--pratique")[1].split("</li>")[0]
    assert "Ville de Lannion" not in card


def test_a_renamed_theme_changes_every_card(caches_on, client, corpus, committed):
    index = corpus["index"].url
    fresh.get(client, index)
    theme = corpus["theme"]
    theme.name = "Données publiques"

    committed(theme.save)

    html = fresh.get(client, index)
    cards = html.split('<li class="card card--kind')[1:]
    assert len(cards) == 3
    for card in cards:
        themes = card.split('class="card__themes"')[1].split("</div>")[0]
        assert "Données publiques" in themes


def test_a_members_only_card_kept_for_a_member_never_reaches_others(
    caches_on, client, corpus, committed
):
    restricted = ArticlePageFactory(parent=corpus["index"], title="Réservé zorglub")
    committed(publish, restricted)

    def restrict():
        restriction = PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])

    committed(restrict)
    member = UserFactory()
    member.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    other = UserFactory()
    client.force_login(member)
    for url in ("/", corpus["index"].url, corpus["article"].url):
        fresh.get(client, url)
    assert "Réservé zorglub" in fresh.get(client, corpus["index"].url)

    for person in (None, other):
        client.logout()
        if person is not None:
            client.force_login(person)
        for url in ("/", corpus["index"].url, corpus["article"].url):
            assert "zorglub" not in fresh.get(client, url), (person, url)


def test_the_count_kept_for_the_pagination_follows_what_matches(
    caches_on, client, corpus, committed
):
    index, article = corpus["index"].url, corpus["article"]
    by_theme = f"{index}?theme=donnees"
    assert "3 ressources" in visible_text(fresh.get(client, index))
    assert "3 ressources" in visible_text(fresh.get(client, by_theme))

    committed(publish, ArticlePageFactory(parent=corpus["index"], title="Nouveau"))
    article.themes = []
    committed(publish, article)

    assert "4 ressources" in visible_text(fresh.get(client, index))
    assert "2 ressources" in visible_text(fresh.get(client, by_theme))
