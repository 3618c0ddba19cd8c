"""A quoted phrase is found only where its words stand together, in order, on
SQLite (FTS5 phrases) and on PostgreSQL (adjacent-pair index, then the whole
phrase checked), with any number of words. Run on both backends."""

import io

import pytest
from django.core.management import call_command

from tests.factories import ArticlePageFactory
from tests.helpers import api, publish, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmaps(section):
    knowledge = section("ressources")
    whole = ArticlePageFactory(
        parent=knowledge,
        title="Adopter une feuille de route numérique",
        lead="Les étapes d'une commune.",
    )
    # Every pair of the phrase is here ("feuille de route", "route numérique"),
    # never the three words together.
    pairs_apart = ArticlePageFactory(
        parent=knowledge,
        title="Des élus et leurs projets",
        lead="Une feuille de route pour la voirie ; la route numérique viendra.",
    )
    across_fields = ArticlePageFactory(
        parent=knowledge,
        title="Écrire sa feuille de route",
        lead="Numérique : par où commencer.",
    )
    for page in (whole, pairs_apart, across_fields):
        publish(page)
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    return whole, pairs_apart, across_fields


def test_a_quoted_phrase_of_three_words_needs_them_together(client, roadmaps):
    data = api(client, q='"feuille de route numérique"')

    assert titles(data) == ["Adopter une feuille de route numérique"]


def test_a_quoted_phrase_of_four_words_needs_them_together(client, roadmaps):
    data = api(client, q='"une feuille de route numérique"')

    assert titles(data) == ["Adopter une feuille de route numérique"]


def test_a_quoted_phrase_of_two_words_is_found_wherever_they_stand_together(
    client, roadmaps
):
    data = api(client, q='"route numérique"')

    assert sorted(titles(data)) == [
        "Adopter une feuille de route numérique",
        "Des élus et leurs projets",
    ]


def test_unquoted_words_find_every_page_holding_them_the_phrase_first(client, roadmaps):
    data = api(client, q="feuille de route numérique")

    assert titles(data)[0] == "Adopter une feuille de route numérique"
    assert sorted(titles(data)[1:]) == [
        "Des élus et leurs projets",
        "Écrire sa feuille de route",
    ]
