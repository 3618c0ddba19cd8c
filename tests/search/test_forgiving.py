"""Search that forgives (issue 15): typos corrected from the index's own
vocabulary, relaxed matching, question words, names of stop words, compounds,
highlights of what matched, suggestions, and the ranking's kind and date."""

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import vocabulary
from search.indexing import reindex_page
from search.models import SearchWord
from search.query import parse
from search.service import search, suggest
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    InterviewPageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import publish

pytestmark = pytest.mark.django_db

VISITOR = AnonymousUser()


def reindex():
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())


def titles(result):
    return [r["title"] for r in result.results]


@pytest.fixture
def member():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Membres"))
    return user


@pytest.fixture
def pages(section):
    knowledge = section("ressources")
    created = {
        "cyber": ArticlePageFactory(
            parent=knowledge,
            title="Cybersécurité : préparer sa collectivité",
            lead="Sauvegardes hors ligne et exercices contre les rançongiciels.",
            publication_date=datetime.date(2025, 3, 1),
        ),
        "visio": ArticlePageFactory(
            parent=knowledge,
            title="Un visio-guichet en mairie",
            lead="Une borne relie les habitants aux agents des impôts.",
            publication_date=datetime.date(2025, 3, 2),
        ),
        "glued": ArticlePageFactory(
            parent=knowledge,
            title="Après une cyberattaque",
            lead="Six mois pour reconstruire le réseau de l'agglomération.",
            publication_date=datetime.date(2025, 3, 3),
        ),
        "name": InterviewPageFactory(
            parent=knowledge,
            title="« Aller vers les habitants »",
            lead="Entretien avec Yann Le Du, conseiller numérique.",
            publication_date=datetime.date(2025, 3, 4),
        ),
        "admin": ArticlePageFactory(
            parent=knowledge,
            title="Le conseil d'administration du syndicat",
            lead="L'e-administration avance ; le conseil d'administration vote "
            "le budget.",
            publication_date=datetime.date(2025, 3, 5),
        ),
        "telework": ArticlePageFactory(
            parent=knowledge,
            title="Organiser le télétravail des agents",
            lead="Une charte du télétravail et des démarches simplifiées.",
            publication_date=datetime.date(2025, 3, 6),
        ),
    }
    for page in created.values():
        publish(page)
    secret = ArticlePageFactory(
        parent=knowledge,
        title="Compte rendu du séminaire",
        lead="Le chantier zorglubisation des archives, réservé aux membres.",
    )
    publish(secret)
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    created["secret"] = secret
    reindex()
    return created


# --- Corrections ---------------------------------------------------------------------


def test_a_typo_is_corrected_and_the_results_are_for_the_correction(pages):
    result = search(text="cybersécurté", user=VISITOR)
    assert result.corrected
    assert result.correction == "cybersécurité"
    assert titles(result)[0] == pages["cyber"].title


def test_a_correction_keeps_the_other_words_as_typed(pages):
    result = search(text="sauvegardes hors lihne", user=VISITOR)
    assert result.corrected
    assert result.correction == "sauvegardes hors ligne"
    assert titles(result) == [pages["cyber"].title]


def test_short_words_and_codes_are_never_corrected(pages):
    assert vocabulary.allowed_distance("rgp") == 0
    assert vocabulary.allowed_distance("22300") == 0
    result = search(text="22301", user=VISITOR)
    assert result.correction is None
    assert result.count == 0


def test_the_first_letter_is_kept(pages):
    # "ybersécurité" is one edit from "cybersécurité", but starts otherwise.
    result = search(text="ybersécurité", user=VISITOR)
    assert result.correction is None
    assert result.count == 0


def test_exact_searches_the_words_as_typed(pages):
    result = search(text="cybersécurté", user=VISITOR, exact=True)
    assert result.correction is None
    assert not result.corrected
    assert result.count == 0


def test_members_only_words_are_never_offered_to_visitors(pages, member):
    # The word is only in a members-only page.
    visitor = search(text="zorglubisatoin", user=VISITOR)
    assert visitor.correction is None
    assert visitor.count == 0
    seen = search(text="zorglubisatoin", user=member)
    assert seen.correction == "zorglubisation"
    assert titles(seen) == [pages["secret"].title]
    assert not [
        item
        for item in suggest(text="zorglu", user=VISITOR)
        if "zorglu" in item["title"].lower()
    ]


def test_the_vocabulary_follows_the_pages(pages):
    page = pages["telework"]
    assert SearchWord.objects.filter(word="teletravail", visibility="public").exists()
    page.title = "Organiser le travail hybride des agents"
    page.lead = "Une charte et des démarches simplifiées."
    publish(page)
    reindex_page(page.pk)
    assert not SearchWord.objects.filter(word="teletravail").exists()
    assert SearchWord.objects.get(word="hybride", visibility="public").entries == 1
    page.unpublish()
    reindex_page(page.pk)
    assert not SearchWord.objects.filter(word="hybride").exists()


# --- Relaxed matching, questions, names ------------------------------------------------


def test_a_question_finds_the_page_about_its_subject(pages):
    result = search(text="que faire en cas d'attaque par rançongiciel ?", user=VISITOR)
    assert titles(result)[0] == pages["cyber"].title
    assert result.relaxed


def test_question_words_are_left_out_of_the_words_searched():
    parsed = parse("comment mettre en place un visio-guichet ?", groups=[])
    assert parsed.all_terms == {"visio", "guichet", "visioguichet"}
    # Alone, they are what is sought.
    assert parse("comment", groups=[]).all_terms == {"comment"}


def test_relaxed_matching_requires_enough_of_the_words(pages):
    # Nothing has the three words; the visio-guichet page has two (2 of 3 are
    # required), the cybersecurity page only one.
    result = search(text="borne mairie rançongiciels", user=VISITOR)
    assert result.relaxed
    assert titles(result) == [pages["visio"].title]


def test_a_name_made_of_stop_words_is_found(pages):
    result = search(text="Le Du", user=VISITOR)
    assert titles(result) == [pages["name"].title]
    assert search(text="le de", user=VISITOR).count == 0


# --- Compounds and highlights ----------------------------------------------------------


def test_compounds_are_found_glued_or_hyphenated(pages):
    assert titles(search(text="visioguichet", user=VISITOR))[0] == pages["visio"].title
    assert titles(search(text="visio-guichet", user=VISITOR))[0] == pages["visio"].title
    assert pages["glued"].title in titles(search(text="cyber-attaque", user=VISITOR))
    assert pages["glued"].title in titles(search(text="cyberattaque", user=VISITOR))


def test_only_the_words_that_matched_are_marked(pages):
    result = search(text="e-administration", user=VISITOR)
    shown = next(r for r in result.results if r["title"] == pages["admin"].title)
    assert "<mark>administration</mark> avance" in shown["snippet"]
    assert "conseil" in shown["snippet"]
    # « conseil d'administration » is not e-administration.
    assert "d&#x27;administration" in shown["snippet"]
    assert "<mark>d&#x27;administration</mark>" not in shown["snippet"]


# --- Suggestions ---------------------------------------------------------------------


def test_suggestions_complete_words_of_the_index_and_forgive_a_typo(pages):
    found = [item["title"] for item in suggest(text="télé", user=VISITOR)]
    assert "télétravail" in found
    found = [item["title"] for item in suggest(text="dema", user=VISITOR)]
    assert "démarches" in found
    # One letter wrong: the completion of the nearest word.
    found = [item["title"] for item in suggest(text="teletrav", user=VISITOR)]
    assert "télétravail" in found


def test_a_suggested_search_links_to_the_results(pages):
    item = next(
        i for i in suggest(text="télé", user=VISITOR) if i["title"] == "télétravail"
    )
    assert item["url"] == "/recherche/?q=t%C3%A9l%C3%A9travail"


# --- Ranking -------------------------------------------------------------------------


def test_an_article_about_the_subject_comes_before_a_profile_tagged_with_it(section):
    theme = ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    town = CollectivityPageFactory(
        parent=section("membres"), title="Ville de Mulhouse", presentation=""
    )
    town.themes = [theme]
    publish(town)
    article = ArticlePageFactory(
        parent=section("ressources"),
        title="Préparer sa collectivité à une attaque",
        lead="Sauvegardes, exercices : la cybersécurité au quotidien d'une mairie, "
        "avec les agents, les élus et les prestataires du système d'information.",
        publication_date=datetime.date(2024, 1, 1),
    )
    publish(article)
    reindex()
    assert titles(search(text="cybersécurité", user=VISITOR))[0] == article.title


def test_a_future_event_does_not_lead_for_its_date(section):
    today = timezone.localdate()
    article = ArticlePageFactory(
        parent=section("ressources"),
        title="Ouvrir les données de la commune",
        lead="Inventaire, licence et portail pour ouvrir les données.",
        publication_date=today - datetime.timedelta(days=400),
    )
    publish(article)
    event = EventPageFactory(
        parent=section("evenements"),
        title="Formation : ouvrir les données de la commune",
        lead="Inventaire, licence et portail pour ouvrir les données.",
        start=timezone.now() + datetime.timedelta(days=60),
    )
    publish(event)
    reindex()
    assert titles(search(text="ouvrir les données", user=VISITOR))[0] == article.title


def _article(section, title, paragraphs, date):
    return publish(
        ArticlePageFactory(
            parent=section("ressources"),
            title=title,
            lead="Retour d'expérience d'une intercommunalité rurale.",
            body=[("paragraph", "".join(f"<p>{p}</p>" for p in paragraphs))],
            publication_date=date,
        )
    )


def test_a_body_match_ranks_by_how_much_the_body_is_about_it(section):
    """Two articles name the subject in their body only: the one about it comes
    first, not the newest (on PostgreSQL too, where the body is ranked from
    the first terms of the rank vector)."""
    common = (
        "Le projet a commencé par un diagnostic des services, des entretiens "
        "avec les maires et un questionnaire aux agents des communes membres."
    )
    about = _article(
        section,
        "Ce que nous avons changé dans les mairies",
        [
            common,
            "La télétransmission des actes au contrôle de légalité a d'abord "
            "été proposée aux plus petites communes.",
            "Chaque secrétaire de mairie a été formé à la télétransmission, et "
            "la télétransmission des budgets a suivi l'année d'après.",
            "Aujourd'hui la télétransmission est la règle partout.",
        ],
        datetime.date(2019, 5, 1),
    )
    mention = _article(
        section,
        "Un an de projets dans les communes",
        [
            common,
            "Parmi les chantiers de l'année : le site internet, la messagerie, "
            "la téléphonie et la télétransmission des actes.",
            "Les agents ont aussi choisi un nouvel outil de gestion des salles "
            "et un parapheur électronique.",
            "Le bilan sera présenté au conseil communautaire.",
        ],
        datetime.date(2022, 5, 1),
    )
    reindex()
    found = titles(search(text="télétransmission", user=VISITOR))
    assert found[:2] == [about.title, mention.title]


def test_a_postcode_the_pages_do_not_hold_finds_its_town(section):
    """« 33000 » is Bordeaux in the official referential: a page naming the
    town is found though it never writes that postcode."""
    article = publish(
        ArticlePageFactory(
            parent=section("ressources"),
            title="Le guichet numérique de Bordeaux",
            lead="Un accueil pour les démarches en ligne, place de la mairie.",
        )
    )
    reindex()
    result = search(text="33000", user=VISITOR)
    assert titles(result) == [article.title]
