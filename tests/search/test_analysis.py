"""French analysis: what a person types finds what an editor wrote."""

import pytest

from search.analysis import fold, terms


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("elus", "élus"),
        ("élu", "Élus"),
        ("cybersecurite", "cybersécurité"),
        ("CYBERSÉCURITÉ", "cybersécurité"),
        ("horodateur", "horodateurs"),
        ("feuilles de route numériques", "feuille de route numérique"),
        ("inclusion", "l'inclusion"),
        ("inclusion", "l\u2019inclusion"),
        ("tiers-lieux", "tiers lieu"),
        ("dematerialisation", "dématérialisation"),
        ("oeuvre", "Œuvre"),
        ("formation", "formations"),
        ("collectivites", "collectivités"),
    ],
)
def test_typed_words_match_written_words(typed, written):
    assert terms(typed) == terms(written)


def test_stop_words_and_elisions_are_dropped():
    assert terms("La feuille de route d'une commune") == terms("feuille route commune")


def test_folding_keeps_letters_and_digits_only_lowercase():
    assert fold("Île-de-France 2026") == "ile-de-france 2026"


def test_hyphenated_words_stay_next_to_each_other():
    assert terms("des tiers-lieux ruraux") == [*terms("tiers lieux"), *terms("ruraux")]


def test_empty_and_punctuation_only_text_has_no_terms():
    assert terms("") == []
    assert terms("*** ::: () \"' AND OR") == ["and", "or"]
