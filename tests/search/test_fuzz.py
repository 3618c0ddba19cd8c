"""Whatever is typed in the search box, the site answers: never an error page.

Hypothesis generates query strings (any text, control characters, quotes,
brackets, operators, SQL, very long strings) for the search page, the search API
and the suggestions API; each must answer 200, with a French message when the
query is refused.
"""

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import ArticlePageFactory, EventPageFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Pieces that mean something to a query parser, a database or a template.
PIECES = [
    '"',
    "'",
    "\u2019",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "*",
    ":",
    "^",
    "-",
    "+",
    "~",
    "\\",
    "%",
    "_",
    ";",
    "--",
    "/*",
    "*/",
    "<->",
    "&",
    "|",
    "!",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b)",
    "title_terms:",
    "search_fts",
    "' OR 1=1 --",
    "'; DROP TABLE search_searchentry; --",
    "1; SELECT pg_sleep(1)",
    "to_tsquery('simple', 'x')",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% debug %}",
    "%(q)s",
    "\x00",
    "\x07",
    "\t",
    "\n",
    "\r",
    "\u200b",
    "\ufeff",
    "\u202e",
    "ﬁ",
    "ß",
    "İ",
    "Œuvre",
    "﷽",
    "\U0001d518\U0001d52b\U0001d526\U0001d520\U0001d52c\U0001d521\U0001d522",  # Fraktur
    "²",
    "🙂",
    "l'",
    "d'",
    "de",
    "la",
    "élus",
    "cybersécurité",
    "feuille",
    "route",
    "tiers-lieux",
    "EPCI",
    "démat",
    "France services",
    "numérique",
]

# Control characters and syntax, often enough to matter.
NASTY_CHARACTERS = "\x00\x01\x07\x1b\x7f\u0085\u2028\"'()[]{}*:^-+~\\%_;&|! ab é"

queries = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from(NASTY_CHARACTERS), min_size=1, max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=20).map(
        " ".join
    ),
    st.text(min_size=150, max_size=3000),
    st.sampled_from(PIECES).map(lambda piece: piece * 500),
)

# What the search form may say about a query it refuses, in French.
FRENCH_QUERY_MESSAGES = (
    "Votre recherche est trop longue",
    "Le caractère nul n\u2019est pas autorisé",
)


def known_troublemakers(test):
    """Known troublemakers, always tried before the generated ones."""
    for query in ("", "ab\x00cd", "\x00" * 3, "x" * 2000, '"', "NEAR(a b)", "é" * 201):
        test = example(query=query)(test)
    return test


@pytest.fixture
def indexed(section):
    knowledge = section("ressources")
    theme = ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    page = ArticlePageFactory(
        parent=knowledge,
        title="Former les élus à la cybersécurité",
        lead="Une formation « AND OR » (courte) pour les élus : 100 % utile.",
    )
    page.themes = [theme]
    page.save_revision().publish()
    ArticlePageFactory(
        parent=knowledge,
        title="Adopter une feuille de route numérique",
        lead="Les étapes pour écrire la feuille de route d'une commune.",
    )
    EventPageFactory(parent=section("evenements"), title="Webinaire tiers-lieux")
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())


def assert_french(errors: list[str]) -> None:
    for message in errors:
        assert message.startswith(FRENCH_QUERY_MESSAGES), message


@FUZZ
@given(query=queries)
@known_troublemakers
def test_the_search_page_always_answers(client, indexed, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


@FUZZ
@given(query=queries)
@known_troublemakers
def test_the_search_api_always_answers_json(client, indexed, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert isinstance(data["count"], int)
    assert isinstance(data["results"], list)
    assert set(data["errors"]) <= {"q"}
    assert_french(data["errors"].get("q", []))


@FUZZ
@given(query=queries)
@known_troublemakers
def test_the_suggestions_always_answer_json(client, indexed, query):
    response = client.get("/api/search/suggest/", {"q": query})
    assert response.status_code == 200
    suggestions = json.loads(response.content)["suggestions"]
    assert isinstance(suggestions, list)
    assert len(suggestions) <= 8


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {"q": queries},
        optional={
            name: st.one_of(st.text(max_size=30), st.sampled_from(PIECES))
            for name in (
                "kind",
                "theme",
                "region",
                "collectivity_kind",
                "year",
                "sort",
                "page",
            )
        },
    )
)
def test_odd_filters_are_ignored_not_fatal(client, indexed, params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200
    assert isinstance(json.loads(response.content)["count"], int)


# Hostile queries tried on every database, including those that take the
# forgiving paths (a correction, relaxed matching of many words, a name of
# stop words) with syntax around them.
HOSTILE = [
    "x" * 10_000,
    "é" * 10_000,
    "cybersécurité " * 1_000,
    "\x00",
    "cyber\x00sécurité",
    "?!;:,.…«»",
    "...",
    "le la les de du des et",
    "Le Du",
    '"',
    '""',
    '"cybersécurité',
    '"feuille de route',
    "*",
    "cyber*",
    "-",
    "--",
    "-cybersécurité",
    "NEAR(",
    "NEAR(élus cybersécurité",
    "ù",
    "où ù",
    "🙂",
    "🔒 cybersécurité 🔒",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eétiruces\u202c",
    "cybersécurté NEAR(",
    '"cybersécurté" *',
    "comment faire quand ?",
    "inclsion numérque accesibilité rancongicel sobriété numérque cyberattaque "
    "visioguichet feuile route élu formation",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14",
    "62 75 22300 2A",
]


@pytest.mark.parametrize("path", ["/recherche/", "/api/search/"])
def test_hostile_queries_never_fail(client, indexed, path):
    failures = []
    for query in HOSTILE:
        response = client.get(path, {"q": query})
        if response.status_code != 200:
            failures.append((query[:40], response.status_code))
        elif path == "/api/search/":
            data = json.loads(response.content)
            assert isinstance(data["count"], int)
            assert_french(data["errors"].get("q", []))
    assert not failures
