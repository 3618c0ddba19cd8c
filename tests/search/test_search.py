"""Searching the network's shared experience, as a visitor and as a member."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from search.models import SearchQueryStat, Synonym
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import api, publish, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(section):
    knowledge = section("ressources")
    inclusion = ThemeFactory(slug="inclusion-numerique", name="Inclusion numérique")
    cyber = ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    roadmap = ArticlePageFactory(
        parent=knowledge,
        title="Adopter une feuille de route numérique",
        lead="Les étapes pour écrire la feuille de route d'une commune.",
        publication_date=datetime.date(2025, 6, 1),
    )
    roadmap.themes = [inclusion]
    publish(roadmap)
    scattered = ArticlePageFactory(
        parent=knowledge,
        title="Route et numérique",
        lead="Une feuille volante sur la route des usages numériques.",
        publication_date=datetime.date(2026, 1, 1),
    )
    cyber_article = ArticlePageFactory(
        parent=knowledge,
        title="Former les élus à la cybersécurité",
        lead="Une formation courte pour les élus des petites communes.",
    )
    cyber_article.themes = [cyber]
    publish(cyber_article)
    parking = PracticePageFactory(
        parent=knowledge,
        title="Des horodateurs connectés",
        lead="Les horodateurs de la ville acceptent le paiement sans contact.",
    )
    members_only = ArticlePageFactory(
        parent=knowledge, title="Séminaire des DSI", lead="Compte rendu confidentiel."
    )
    restriction = PageViewRestriction.objects.create(
        page=members_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    draft = ArticlePageFactory(parent=knowledge, title="Brouillon cybersécurité")
    draft.unpublish()
    town = CollectivityPageFactory(parent=section("membres"), title="Ville de Lannion")
    event = EventPageFactory(
        parent=section("evenements"), title="Webinaire tiers-lieux"
    )
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    return {
        "roadmap": roadmap,
        "scattered": scattered,
        "cyber": cyber_article,
        "parking": parking,
        "members_only": members_only,
        "town": town,
        "event": event,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("elus formation cybersecurite", "Former les élus à la cybersécurité"),
        ("horodateur", "Des horodateurs connectés"),
        ("l'inclusion", "Adopter une feuille de route numérique"),
        ("lannion", "Ville de Lannion"),
        ("tiers-lieux", "Webinaire tiers-lieux"),
    ],
)
def test_french_queries_find_what_was_written(client, corpus, query, expected):
    assert expected in titles(api(client, q=query))


def test_a_whole_phrase_ranks_above_scattered_words(client, corpus):
    found = titles(api(client, q="feuille de route numérique"))
    assert found[0] == "Adopter une feuille de route numérique"
    assert "Route et numérique" in found


def test_a_phrase_counts_within_a_field_never_across_two(client, section):
    knowledge = section("ressources")
    publish(
        ArticlePageFactory(
            parent=knowledge,
            title="Un guichet",
            lead="Unique en son genre, pour les démarches.",
            publication_date=datetime.date(2026, 1, 1),
        )
    )
    publish(
        ArticlePageFactory(
            parent=knowledge,
            title="Démarches en ligne",
            lead="Le guichet unique ouvre ses portes.",
            publication_date=datetime.date(2020, 1, 1),
        )
    )
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())

    # Title and lead of the first page read "guichet" then "unique", but the
    # phrase is written only in the second page.
    assert titles(api(client, q="guichet unique")) == [
        "Démarches en ligne",
        "Un guichet",
    ]
    assert titles(api(client, q='"guichet unique"')) == ["Démarches en ligne"]


def test_quoted_phrases_match_only_the_phrase(client, corpus):
    assert titles(api(client, q='"feuille de route"')) == [
        "Adopter une feuille de route numérique"
    ]


def test_results_never_include_drafts_and_members_only_content_for_visitors(
    client, corpus
):
    assert "Brouillon cybersécurité" not in titles(api(client, q="cybersécurité"))
    assert titles(api(client, q="séminaire DSI")) == []
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    assert titles(api(client, q="séminaire DSI")) == ["Séminaire des DSI"]


def test_snippets_mark_the_matched_words_and_escape_the_rest(client, section, corpus):
    page = ArticlePageFactory(
        parent=section("ressources"),
        title="Sécurité",
        lead="<script>alert(1)</script> la cybersécurité des mairies",
    )
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    data = api(client, q="cybersécurité mairies")
    snippet = next(r["snippet"] for r in data["results"] if r["title"] == page.title)
    assert "<mark>cybersécurité</mark>" in snippet
    assert "<mark>mairies</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;/script&gt;" in snippet


def test_facets_count_and_filters_combine(client, corpus):
    data = api(client, q="numérique")
    kinds = {facet["value"]: facet["count"] for facet in data["facets"]["kind"]}
    assert kinds["article"] >= 2
    filtered = api(client, q="numérique", theme="inclusion-numerique")
    assert titles(filtered) == ["Adopter une feuille de route numérique"]


def test_the_theme_facet_counts_each_theme_with_the_other_filters(client, section):
    themes = {
        slug: ThemeFactory(slug=slug, name=name)
        for slug, name in [
            ("inclusion", "Inclusion"),
            ("inclusion-numerique", "Inclusion numérique"),
            ("cybersecurite", "Cybersécurité"),
        ]
    }
    for title, kind_factory, slugs in [
        ("Guichet numérique d'inclusion", ArticlePageFactory, ["inclusion"]),
        ("Médiation numérique", ArticlePageFactory, ["inclusion-numerique"]),
        (
            "Numérique sûr et inclusif",
            ArticlePageFactory,
            ["inclusion-numerique", "cybersecurite"],
        ),
        ("Sauvegardes numériques", PracticePageFactory, ["cybersecurite"]),
    ]:
        page = kind_factory(parent=section("ressources"), title=title)
        page.themes = [themes[slug] for slug in slugs]
        publish(page)
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())

    def theme_counts(**filters):
        data = api(client, q="numérique", **filters)
        return {facet["value"]: facet["count"] for facet in data["facets"]["theme"]}

    assert theme_counts() == {
        "inclusion": 1,
        "inclusion-numerique": 2,
        "cybersecurite": 2,
    }
    assert theme_counts(kind="article") == {
        "inclusion": 1,
        "inclusion-numerique": 2,
        "cybersecurite": 1,
    }
    # A theme whose slug begins another's is filtered exactly.
    assert titles(api(client, q="numérique", theme="inclusion")) == [
        "Guichet numérique d'inclusion"
    ]
    assert sorted(titles(api(client, q="numérique", theme="cybersecurite"))) == [
        "Numérique sûr et inclusif",
        "Sauvegardes numériques",
    ]


def test_sort_by_date_puts_the_newest_first(client, corpus):
    found = titles(api(client, q="route", sort="date"))
    assert found.index("Route et numérique") < found.index(
        "Adopter une feuille de route numérique"
    )


def test_synonyms_edited_by_editors_apply(client, section, corpus):
    ArticlePageFactory(
        parent=section("ressources"),
        title="Mutualiser à l'échelle de l'intercommunalité",
        lead="Partager un service numérique entre communes.",
    )
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    assert titles(api(client, q="coopération territoriale")) == []
    Synonym.objects.create(terms="coopération territoriale, intercommunalité")
    assert "Mutualiser à l'échelle de l'intercommunalité" in titles(
        api(client, q="coopération territoriale")
    )


def test_suggestions_follow_the_same_visibility(client, corpus):
    response = client.get("/api/search/suggest/", {"q": "sémi"})
    assert json.loads(response.content)["suggestions"] == []
    response = client.get("/api/search/suggest/", {"q": "ville de lann"})
    assert [s["title"] for s in json.loads(response.content)["suggestions"]] == [
        "Ville de Lannion"
    ]


def test_publishing_and_unpublishing_update_the_index(
    client, section, corpus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePageFactory(
            parent=section("ressources"), title="Sobriété numérique"
        )
        publish(page)
    assert "Sobriété numérique" in titles(api(client, q="sobriété"))
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert titles(api(client, q="sobriété")) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "x" * 2000,
        '"unbalanced',
        "(parenthèse",
        "*",
        "titre:feuille",
        "AND OR NOT",
        "\x00\x07 contrôle",
        "'; DROP TABLE search_searchentry; --",
        "NEAR(a b)",
    ],
)
def test_odd_input_gets_an_answer_never_an_error(client, corpus, query):
    assert client.get("/recherche/", {"q": query}).status_code == 200
    data = api(client, q=query)
    assert isinstance(data["count"], int)


def test_malformed_filters_are_ignored(client, corpus):
    data = api(client, q="numérique", year="deux-mille", page="-4", region="ZZ")
    assert data["count"] >= 2


def test_the_search_page_shows_results_and_facets_without_javascript(client, corpus):
    html = client.get("/recherche/", {"q": "élus formation"}).content.decode()
    assert "Former les élus à la cybersécurité" in html
    assert "Affiner" in html
    assert "<mark>" in html


def test_searches_are_counted_without_who(client, corpus):
    api(client, q="cybersécurité")
    api(client, q="introuvable xyz")
    stats = {
        s.query: (s.searches, s.without_results) for s in SearchQueryStat.objects.all()
    }
    assert stats["cybersecurite"] == (1, 0)
    assert stats["introuvable xyz"] == (1, 1)


def test_a_rebuild_reads_restrictions_once_and_judges_pages_as_one_by_one(section):
    from search.documents import MEMBERS, PUBLIC, all_documents, document_for_page

    knowledge = section("ressources")
    open_page = ArticlePageFactory(parent=knowledge, title="Ouvert à tous")
    for_members = ArticlePageFactory(parent=knowledge, title="Pour les membres")
    below_members = ArticlePageFactory(parent=for_members, title="En dessous")
    behind_password = ArticlePageFactory(parent=knowledge, title="Avec mot de passe")
    members = PageViewRestriction.objects.create(
        page=for_members, restriction_type=PageViewRestriction.GROUPS
    )
    members.groups.set([Group.objects.get(name="Membres")])
    PageViewRestriction.objects.create(
        page=behind_password,
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    pages = [open_page, for_members, below_members, behind_password]

    rebuilt = {d.page_id: d.visibility for d in all_documents()}
    one_by_one = {
        page.pk: document.visibility
        for page in pages
        if (document := document_for_page(page)) is not None
    }

    expected = {
        open_page.pk: PUBLIC,
        for_members.pk: MEMBERS,
        below_members.pk: MEMBERS,
    }
    assert {pk: rebuilt.get(pk) for pk in one_by_one} == expected == one_by_one
    assert behind_password.pk not in rebuilt
