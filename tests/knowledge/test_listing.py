"""`/ressources/`: newest first, combinable filters, constant queries, privacy."""

import datetime

import defusedxml.ElementTree as ET
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from members.models import CollectivityKind
from members.territories import Region
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


def titles_in(response) -> list[str]:
    html = response.content.decode()
    start = html.index('class="listing__results"')
    return [
        chunk.split("</a>")[0].split(">")[-1]
        for chunk in html[start:].split('class="card__title"')[1:]
    ]


@pytest.fixture
def corpus(section):
    index = section("ressources")
    members = section("membres")
    brittany_town = CollectivityPageFactory(
        parent=members, kind=CollectivityKind.COMMUNE, region=Region.BRETAGNE
    )
    lyon = CollectivityPageFactory(
        parent=members,
        kind=CollectivityKind.METROPOLE,
        region=Region.AUVERGNE_RHONE_ALPES,
    )
    cyber = ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    data = ThemeFactory(slug="donnees", name="Données")

    old = ArticlePageFactory(
        parent=index, title="Article ancien", publication_date=datetime.date(2023, 5, 2)
    )
    old.themes = [cyber]
    publish(old)
    interview = InterviewPageFactory(
        parent=index,
        title="Entretien récent",
        publication_date=datetime.date(2025, 3, 1),
    )
    interview.themes = [data]
    interview.related_collectivities = [lyon]
    publish(interview)
    practice = PracticePageFactory(
        parent=index,
        title="Pratique bretonne",
        publication_date=datetime.date(2024, 9, 9),
        collectivity=brittany_town,
    )
    practice.themes = [cyber, data]
    publish(practice)
    return {"old": old, "interview": interview, "practice": practice}


def test_everything_is_listed_newest_first(client, corpus):
    response = client.get("/ressources/")
    assert titles_in(response) == [
        "Entretien récent",
        "Pratique bretonne",
        "Article ancien",
    ]
    assert "3 ressources" in visible_text(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "entretien"}, ["Entretien récent"]),
        ({"kind": "pratique"}, ["Pratique bretonne"]),
        ({"theme": "cybersecurite"}, ["Pratique bretonne", "Article ancien"]),
        ({"collectivity_kind": "metropole"}, ["Entretien récent"]),
        ({"region": Region.BRETAGNE}, ["Pratique bretonne"]),
        ({"year": "2023"}, ["Article ancien"]),
        ({"theme": "donnees", "kind": "pratique"}, ["Pratique bretonne"]),
        ({"theme": "cybersecurite", "year": "2025"}, []),
    ],
)
def test_filters_combine_in_the_query_string(client, corpus, query, expected):
    assert titles_in(client.get("/ressources/", query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "n-existe-pas"},
        {"kind": "roman"},
        {"year": "deux-mille"},
        {"region": "99"},
        {"page": "-3"},
        {"theme": "x" * 5000},
    ],
)
def test_bad_filter_values_get_a_french_message_not_an_error(client, corpus, query):
    response = client.get("/ressources/", query)
    assert response.status_code == 200
    html = response.content.decode()
    if "page" not in query:
        assert 'aria-invalid="true"' in html
        assert "field-error" in html
    # The listing still answers, ignoring the bad filter.
    assert len(titles_in(response)) == 3


def test_pagination_keeps_the_filters(client, section):
    index = section("ressources")
    theme = ThemeFactory(slug="mobilite")
    for number in range(14):
        page = ArticlePageFactory(parent=index, title=f"Mobilité {number:02d}")
        page.themes = [theme]
        publish(page)
    ArticlePageFactory(parent=index, title="Autre sujet")

    first = client.get("/ressources/", {"theme": "mobilite"})
    html = first.content.decode()
    assert "theme=mobilite&amp;page=2" in html
    second = client.get("/ressources/", {"theme": "mobilite", "page": "2"})
    assert len(titles_in(first)) == 12
    assert len(titles_in(second)) == 2
    assert "Autre sujet" not in second.content.decode()


def test_listing_runs_a_constant_number_of_queries(client, section):
    index = section("ressources")
    themes = [ThemeFactory(slug=f"t{n}") for n in range(3)]

    def add_pages(count):
        for _ in range(count):
            page = ArticlePageFactory(parent=index)
            page.themes = themes
            publish(page)

    def count_queries():
        client.get("/ressources/")  # warm caches (site root paths, settings)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/ressources/", {"theme": "t1"})
        assert response.status_code == 200
        return len(queries)

    add_pages(2)
    few = count_queries()
    add_pages(10)
    many = count_queries()
    assert many == few, (few, many)
    # Wagtail routing (site, page path), restrictions, filters, results, themes,
    # footer settings: a budget that a regression would exceed.
    assert few <= 16, few


def test_drafts_and_members_only_pages_never_appear_to_visitors(
    client, corpus, section
):
    draft = ArticlePageFactory(parent=section("ressources"), title="Brouillon")
    draft.unpublish()
    members_only = ArticlePageFactory(
        parent=section("ressources"), title="Pour les membres"
    )
    restriction = PageViewRestriction.objects.create(
        page=members_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])

    for url in [
        "/",
        "/ressources/",
        "/ressources/flux.xml",
        "/ressources/atom.xml",
        "/sitemap.xml",
    ]:
        body = client.get(url).content.decode()
        assert "Brouillon" not in body, url
        assert "Pour les membres" not in body, url
        assert "pour-les-membres" not in body, url

    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    assert "Pour les membres" in client.get("/ressources/").content.decode()
    # A feed is the same for everybody: members-only pages never go out in it.
    assert "Pour les membres" not in client.get("/ressources/flux.xml").content.decode()


def test_rss_and_atom_feeds_list_public_pages_with_their_themes(client, corpus):
    rss = ET.fromstring(client.get("/ressources/flux.xml").content)
    items = rss.findall("./channel/item")
    assert [item.findtext("title") for item in items] == [
        "Entretien récent",
        "Pratique bretonne",
        "Article ancien",
    ]
    assert items[0].findtext("link").endswith(corpus["interview"].url)
    assert [c.text for c in items[1].findall("category")] == [
        "Cybersécurité",
        "Données",
    ]

    atom = ET.fromstring(client.get("/ressources/atom.xml").content)
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    assert len(atom.findall("atom:entry", namespace)) == 3


def test_sitemap_lists_public_live_pages(client, corpus):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert corpus["interview"].url in sitemap
    assert "/ressources/" in sitemap
