"""`/recherche/`: bad input gets a French message, never an error page."""

import pytest

from tests.factories import ArticlePageFactory
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
