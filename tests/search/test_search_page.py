"""`/recherche/`: bad input gets a French message, never an error page."""

import datetime
import re

import pytest
from django.http import QueryDict

from tests.factories import ArticlePageFactory, CollectivityPageFactory, ThemeFactory
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_search_finds_public_pages(client, section, django_capture_on_commit_callbacks):
    page = ArticlePageFactory(
        parent=section("ressources"), title="Cybersécurité des communes"
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = client.get("/recherche/", {"q": "cybersécurité"})
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Cybersécurité des communes" in text
    assert "1 résultat" in text


def test_search_never_shows_drafts(client, section):
    draft = ArticlePageFactory(
        parent=section("ressources"), title="Cybersécurité brouillon"
    )
    draft.unpublish()
    text = visible_text(
        client.get("/recherche/", {"q": "cybersécurité"}).content.decode()
    )
    assert "brouillon" not in text
    assert "0 résultat" in text


def test_an_over_long_query_is_refused_with_a_french_message(client):
    response = client.get("/recherche/", {"q": "numérique " * 100})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre recherche est trop longue" in html
    assert 'aria-describedby="q-errors"' in html


@pytest.mark.parametrize(
    "query", ["", "   ", "%00", "<script>alert(1)</script>", "\"'"]
)
def test_odd_queries_answer_normally(client, query):
    response = client.get("/recherche/", {"q": query, "page": "x"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("url", ["/recherche/", "/api/search/", "/api/search/suggest/"])
def test_without_any_query_string_the_search_answers(client, url):
    assert client.get(url).status_code == 200


# --- What the result page says ---------------------------------------------------------


def answer(**fields):
    """A stand-in for the search service answering `fields` (the query side is
    tested in test_search.py / test_relevance.py; this is the page)."""
    from search.query import parse
    from search.service import SearchPage

    calls = []

    def fake_search(*, text, user, filters=None, sort="relevance", page=1, **more):
        calls.append({"text": text, "filters": filters, **more})
        return SearchPage(query=parse(text), page=page, **fields)

    fake_search.calls = calls
    return fake_search


def result(title, **fields):
    return {
        "title": title,
        "url": "/ressources/x/",
        "kind": "article",
        "kind_label": "Article",
        "snippet": "",
        "date": "2020-11-30",
        "themes": [],
        **fields,
    }


def test_result_dates_are_written_in_french(client, section, committed):
    article = ArticlePageFactory(
        parent=section("ressources"),
        title="Cybersécurité des communes",
        publication_date=datetime.date(2020, 11, 30),
    )
    committed(publish, article)
    html = client.get("/recherche/", {"q": "cybersécurité"}).content.decode()
    assert "30 novembre 2020" in visible_text(html)
    assert "2020-11-30" not in visible_text(html)
    assert '<time datetime="2020-11-30">' in html


def test_a_correction_used_is_said_with_a_link_to_the_words_as_typed(
    client, monkeypatch
):
    fake = answer(
        count=1,
        results=[result("Cybersécurité des communes")],
        correction="cybersécurité",
        corrected=True,
    )
    monkeypatch.setattr("search.views.search", fake)
    response = client.get("/recherche/", {"q": "cybersécurté", "theme": "donnees"})
    html = response.content.decode()
    text = visible_text(html)
    assert "Résultats pour cybersécurité." in text
    assert "<em>cybersécurité</em>" in html
    assert "Rechercher exactement « cybersécurté »" in text
    # Read out together when the page loads: what the results are for, and
    # how many there are.
    status = re.search(r'<div role="status"[^>]*>(.*?)</div>', html, re.S)[1]
    assert "Résultats pour cybersécurité." in visible_text(status)
    assert "1 résultat" in visible_text(status)
    link = re.search(r'<a href="\?([^"]*)">Rechercher exactement', html)[1]
    params = QueryDict(link.replace("&amp;", "&"))
    assert params["q"] == "cybersécurté"
    assert params["exact"] == "1"
    assert params["theme"] == "donnees"  # The filters are kept.

    client.get("/recherche/", {"q": "cybersécurté", "exact": "1"})
    assert fake.calls[-1]["exact"] is True
    assert fake.calls[0]["exact"] is False


def test_a_new_search_from_the_box_is_not_exact(client, monkeypatch):
    monkeypatch.setattr("search.views.search", answer(count=0))
    html = client.get("/recherche/", {"q": "cybersécurté", "exact": "1"}).content
    assert 'name="exact"' not in html.decode()


def test_a_correction_offered_is_a_link(client, monkeypatch):
    monkeypatch.setattr(
        "search.views.search",
        answer(count=1, results=[result("Un article")], correction="inclusion"),
    )
    html = client.get("/recherche/", {"q": "inclsion"}).content.decode()
    assert "Vouliez-vous dire inclusion ?" in visible_text(html)
    assert re.search(r'<a href="\?q=inclusion[^"]*">inclusion</a>', html)


def test_relaxed_results_are_announced(client, monkeypatch):
    monkeypatch.setattr(
        "search.views.search",
        answer(count=1, results=[result("Financer un conseiller")], relaxed=True),
    )
    text = visible_text(
        client.get(
            "/recherche/", {"q": "comment financer un conseiller numérique"}
        ).content.decode()
    )
    assert "Aucune page ne contient tous vos mots" in text
    assert "1 résultat" in text


def test_an_empty_answer_offers_themes_and_the_network_without_an_empty_facet_box(
    client, monkeypatch
):
    ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    ThemeFactory(slug="donnees", name="Données")
    monkeypatch.setattr("search.views.search", answer(count=0))
    response = client.get("/recherche/", {"q": "cybersécurité hôpital"})
    html = response.content.decode()
    text = visible_text(html)
    assert "Aucun résultat pour « cybersécurité hôpital »" in text
    assert 'class="filters"' not in html
    assert "Thèmes proches" in text
    assert 'href="/ressources/?theme=cybersecurite"' in html
    assert "?theme=donnees" not in html  # Not related to the words.
    assert "Poser la question au réseau" not in text  # Not a member.
    assert 'href="/accounts/signup/"' in html

    unrelated = visible_text(
        client.get("/recherche/", {"q": "xylophone"}).content.decode()
    )
    assert "Explorer les ressources par thème" in unrelated


def test_a_member_finding_nothing_may_ask_the_network(client, monkeypatch, section):
    from tests.aid.conftest import member_of

    town = CollectivityPageFactory(parent=section("membres"), email_domains="ville.fr")
    publish(town)
    client.force_login(member_of(town, "agent@ville.fr"))
    monkeypatch.setattr("search.views.search", answer(count=0))
    html = client.get("/recherche/", {"q": "xylophone"}).content.decode()
    assert re.search(
        r'<a href="/entraide/poser/">Poser la question au réseau</a>', html
    )


def test_facet_options_nothing_matches_are_left_out(client, monkeypatch):
    monkeypatch.setattr(
        "search.views.search",
        answer(
            count=1,
            results=[result("Un article")],
            facets={"kind": [("article", 1), ("evenement", 0)], "region": []},
        ),
    )
    html = client.get("/recherche/", {"q": "article"}).content.decode()
    assert "kind=article" in html
    assert "kind=evenement" not in html
    assert "Région" not in visible_text(html)


def test_the_api_says_which_words_the_results_are_for(client, monkeypatch):
    monkeypatch.setattr(
        "search.views.search",
        answer(
            count=1,
            results=[result("Cybersécurité des communes")],
            correction="cybersécurité",
            corrected=True,
        ),
    )
    data = client.get("/api/search/", {"q": "cybersécurté"}).json()
    assert (data["correction"], data["corrected"], data["relaxed"]) == (
        "cybersécurité",
        True,
        False,
    )
