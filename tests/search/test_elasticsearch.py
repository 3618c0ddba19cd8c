"""The Elasticsearch backend without a cluster: the index definition, the
queries and the writes it sends, and the database answering when it is down."""

import datetime
import io
import json
import logging
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import Elasticsearch
from elasticsearch.dsl.exceptions import ValidationException
from wagtail.models import PageViewRestriction

from search.analysis import STOP_WORDS
from search.backends import elasticsearch as es
from search.cache import SearchAnswer
from search.documents import SearchDocument
from search.models import SearchEntry, Synonym
from search.query import parse
from search.service import highlighted, result_of, snippet
from search.tasks import rebuild_elasticsearch_index
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    ThemeFactory,
    UserFactory,
    give_mfa,
)
from tests.helpers import api, publish, titles

pytestmark = pytest.mark.django_db

DOWN = "http://127.0.0.1:9"  # Nothing listens on the discard port.
FIELDS = ["title^3", "lead^2", "body", "theme_names"]
# One fragment of the lead and of the body, the matches in <mark>, the text
# HTML-escaped; the start of the field when nothing in it matched.
HIGHLIGHT = {
    "fields": {"lead": {}, "body": {}},
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "number_of_fragments": 1,
    "fragment_size": 200,
    "no_match_size": 200,
    "max_analyzed_offset": 999_999,
}


@pytest.fixture(autouse=True)
def _database_search(settings):
    """The database backend unless a test sets ELASTICSEARCH_URL, whatever the
    environment says; no client or failure carried over between tests."""
    settings.ELASTICSEARCH_URL = None
    settings.ELASTICSEARCH_INDEX_PREFIX = "retex"
    es.reset_connections()
    yield
    es.reset_connections()


@pytest.fixture
def logged():
    """Records of the `search` loggers (works with or without pytest's logging
    plugin, unlike caplog)."""
    records = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append
    logger = logging.getLogger("search")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.fixture
def fake_client(settings):
    """An autospecced Elasticsearch client in place of the real one for
    ELASTICSEARCH_URL: a call the real client would refuse (an unknown method or
    argument) fails the test."""
    settings.ELASTICSEARCH_URL = "http://elasticsearch.test:9200"
    client = mock.create_autospec(Elasticsearch, instance=True, name="Elasticsearch")
    # The namespaces are set by Elasticsearch.__init__, out of the class's reach:
    # specced on those of a real client (which connects to nothing until used).
    real = Elasticsearch(settings.ELASTICSEARCH_URL)
    client.indices = mock.create_autospec(type(real.indices), instance=True)
    client.cluster = mock.create_autospec(type(real.cluster), instance=True)
    client.options.return_value = client
    es._clients[settings.ELASTICSEARCH_URL] = client
    return client


@pytest.fixture
def bulk_calls(monkeypatch):
    """`elasticsearch.helpers.bulk` replaced: the actions are recorded."""
    calls = []

    def fake_bulk(client, actions, **options):
        actions = list(actions)
        calls.append({"actions": actions, **options})
        return len(actions), []

    monkeypatch.setattr(es, "bulk", fake_bulk)
    return calls


@pytest.fixture
def corpus(section):
    knowledge = section("ressources")
    cyber = ThemeFactory(slug="cybersecurite", name="Cybersécurité")
    article = ArticlePageFactory(
        parent=knowledge,
        title="Former les élus à la cybersécurité",
        lead="Une formation courte pour les élus des petites communes.",
        publication_date=datetime.date(2025, 3, 1),
    )
    article.themes = [cyber]
    publish(article)
    members_only = ArticlePageFactory(
        parent=knowledge, title="Séminaire des DSI", lead="Compte rendu des élus."
    )
    restriction = PageViewRestriction.objects.create(
        page=members_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    town = CollectivityPageFactory(parent=section("membres"), title="Ville de Lannion")
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    return {"article": article, "members_only": members_only, "town": town}


def member_client(client):
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    return client


# --- The index -------------------------------------------------------------------------


def test_the_index_has_french_analysis_synonyms_and_its_mapping():
    Synonym.objects.all().delete()  # Instead of those seeded by the migration.
    Synonym.objects.create(terms="EPCI, intercommunalité")
    # Synonym-rule syntax (=>, #) from editors is dropped, not interpreted.
    Synonym.objects.create(terms="tiers-lieux, espace => partagé #1")
    Synonym.objects.create(terms="seul")  # A single term: no rule.
    text = {
        "analyzer": "french_text",
        "search_analyzer": "french_search",
        "type": "text",
    }
    assert es.build_index("retex-documents-1", es.synonym_rules()).to_dict() == {
        "settings": {
            "number_of_shards": 1,
            "analysis": {
                "analyzer": {
                    "french_text": {
                        "tokenizer": "standard",
                        "filter": [
                            "french_elision",
                            "lowercase",
                            "asciifolding",
                            "french_stop",
                            "french_plural",
                            "french_stemmer",
                        ],
                        "type": "custom",
                    },
                    "french_search": {
                        "tokenizer": "standard",
                        "filter": [
                            "french_elision",
                            "lowercase",
                            "asciifolding",
                            "french_synonyms",
                            "french_stop",
                            "french_plural",
                            "french_stemmer",
                        ],
                        "type": "custom",
                    },
                    "french_suggest": {
                        "tokenizer": "standard",
                        "filter": ["french_elision", "lowercase", "asciifolding"],
                        "type": "custom",
                    },
                },
                "filter": {
                    "french_elision": {
                        "articles_case": True,
                        "articles": [
                            "c",
                            "d",
                            "j",
                            "jusqu",
                            "l",
                            "lorsqu",
                            "m",
                            "n",
                            "puisqu",
                            "qu",
                            "s",
                            "t",
                        ],
                        "type": "elision",
                    },
                    "french_stop": {"stopwords": sorted(STOP_WORDS), "type": "stop"},
                    "french_plural": {
                        "pattern": es.PLURAL_PATTERN,
                        "replacement": "$1",
                        "type": "pattern_replace",
                    },
                    "french_stemmer": {"language": "French", "type": "snowball"},
                    "french_synonyms": {
                        "synonyms": [
                            "EPCI, intercommunalité",
                            "tiers-lieux, espace partagé 1",
                        ],
                        "lenient": True,
                        "type": "synonym_graph",
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "key": {"type": "keyword"},
                "page_id": {"type": "integer"},
                "kind": {"type": "keyword"},
                "title": text,
                "lead": text,
                "body": text,
                "themes": {"type": "keyword"},
                "theme_names": text,
                "collectivity_kind": {"type": "keyword"},
                "region": {"type": "keyword"},
                "visibility": {"type": "keyword"},
                "date": {"format": "strict_date", "type": "date"},
                "year": {"type": "integer"},
                "url": {"index": False, "doc_values": False, "type": "keyword"},
                "suggest": {
                    "analyzer": "french_suggest",
                    "contexts": [
                        {"name": "visibility", "type": "category", "path": "visibility"}
                    ],
                    "type": "completion",
                },
            },
        },
    }
    assert {"de", "la", "les", "des", "ete", "meme"} <= STOP_WORDS


def test_without_synonyms_the_search_analyzer_has_no_synonym_filter():
    analysis = es.build_index("x", []).to_dict()["settings"]["analysis"]
    assert "french_synonyms" not in analysis["filter"]
    assert analysis["analyzer"]["french_search"]["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "french_stop",
        "french_plural",
        "french_stemmer",
    ]


# Words of the field, plurals, x endings, double s, short words.
_PARITY_TEXT = """
    élus élu collectivités cybersécurité rançongiciels horodateurs tiers lieux
    numériques données ouvertes bus gaz prix choix mess process accès ses les
    jeux réseaux caisse adresses analyses bureaux feux intercommunalités
    administrations visioguichets démarches métropoles
"""
PARITY_WORDS = _PARITY_TEXT.split()


def test_the_cluster_analysis_gives_the_database_terms():
    """The analyzer's plural pattern (Java regex, same syntax as Python's for
    it) and Snowball French stemmer give `search.analysis.stem`'s terms."""
    import re

    import snowballstemmer

    from search.analysis import fold, stem

    snowball = snowballstemmer.stemmer("french")
    settings = es.build_index("x", []).to_dict()["settings"]["analysis"]["filter"]
    plural = settings["french_plural"]
    assert settings["french_stemmer"] == {"language": "French", "type": "snowball"}
    for word in PARITY_WORDS:
        folded = fold(word)
        cluster = snowball.stemWord(
            re.sub(plural["pattern"], plural["replacement"].replace("$", "\\"), folded)
        )
        assert cluster == stem(folded), word


def test_the_mapping_is_the_document_class_and_each_index_has_its_own_synonyms():
    with_synonyms = es.build_index("retex-documents-1", ["EPCI, intercommunalité"])
    without = es.build_index("retex-documents-2", [])
    assert (
        with_synonyms.to_dict()["mappings"]
        == without.to_dict()["mappings"]
        == es.ElasticsearchDocument._doc_type.mapping.to_dict()
    )
    assert (
        "french_synonyms" in with_synonyms.to_dict()["settings"]["analysis"]["filter"]
    )
    # Building one index never leaks its synonyms into the next.
    assert "french_synonyms" not in without.to_dict()["settings"]["analysis"]["filter"]
    assert (
        "french_synonyms"
        not in (
            es.build_index("retex-documents-3", []).to_dict()["settings"]["analysis"][
                "filter"
            ]
        )
    )


def test_a_document_names_its_index_there_is_no_default_one():
    document = es.ElasticsearchDocument(key="page:1", title="Sans index")
    with pytest.raises(ValidationException):
        document.to_dict(include_meta=True)
    assert es.ElasticsearchDocument.of(DOCUMENTS[1], index="i").to_dict(
        include_meta=True
    ) == {**ACTIONS[1], "_index": "i"}


def test_index_names_are_versioned_behind_the_alias(settings):
    settings.ELASTICSEARCH_URL = DOWN
    settings.ELASTICSEARCH_INDEX_PREFIX = "site"
    backend = es.ElasticsearchBackend()
    assert backend.alias == "site-documents"
    name = backend.new_index_name()
    assert name.startswith("site-documents-")
    assert len(name.rsplit("-", 1)[1]) == 20 and name.rsplit("-", 1)[1].isdigit()


# --- Queries ---------------------------------------------------------------------------


def facet_aggs(**filters):
    """The five facet aggregations, each with the given filters but its own."""
    fields = {
        "kind": ("kind", 10),
        "theme": ("themes", 50),
        "region": ("region", 30),
        "collectivity_kind": ("collectivity_kind", 20),
        "year": ("year", 50),
    }
    aggs = {}
    for name, (field, size) in fields.items():
        others = [clause for other, clause in filters.items() if other != name]
        aggs[name] = {
            "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
            "aggs": {"values": {"terms": {"field": field, "size": size}}},
        }
    return aggs


def search_body(
    text, *, filters=None, visibilities=("public",), sort="relevance", page=1
):
    return es.build_search(
        parse(text),
        filters=filters or {},
        visibilities=visibilities,
        sort=sort,
        offset=(page - 1) * 10,
        limit=10,
    ).to_dict()


def test_words_are_sent_as_typed_each_required_the_whole_query_boosted_as_a_phrase():
    assert search_body("élus formation") == {
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": "élus",
                            "fields": FIELDS,
                            "operator": "and",
                        }
                    },
                    {
                        "multi_match": {
                            "query": "formation",
                            "fields": FIELDS,
                            "operator": "and",
                        }
                    },
                ],
                "should": [
                    {
                        "multi_match": {
                            "query": "élus formation",
                            "fields": ["title^4", "lead^2", "body"],
                            "type": "phrase",
                            "boost": 2,
                        }
                    }
                ],
                "filter": [{"terms": {"visibility": ["public"]}}],
            }
        },
        "aggs": facet_aggs(),
        "sort": ["_score", {"date": {"order": "desc", "missing": "_last"}}],
        "highlight": HIGHLIGHT,
        "track_total_hits": True,
        "from": 0,
        "size": 10,
        "_source": False,
    }


def test_stop_words_are_left_out_and_elisions_kept_for_elasticsearch_to_analyse():
    query = search_body("l'inclusion de la commune")["query"]["bool"]
    assert [clause["multi_match"]["query"] for clause in query["must"]] == [
        "l'inclusion",
        "commune",
    ]
    assert query["should"][0]["multi_match"]["query"] == "l'inclusion de la commune"


def test_a_quoted_phrase_is_a_phrase_query():
    query = search_body('"feuille de route" numérique')["query"]["bool"]
    assert query["must"] == [
        {
            "multi_match": {
                "query": "feuille de route",
                "fields": FIELDS,
                "type": "phrase",
            }
        },
        {"multi_match": {"query": "numérique", "fields": FIELDS, "operator": "and"}},
    ]
    assert query["should"][0]["multi_match"]["query"] == "feuille de route numérique"


def test_a_single_word_has_no_phrase_boost():
    assert "should" not in search_body("horodateurs")["query"]["bool"]


def test_synonyms_widen_a_clause_with_the_editors_words_at_once():
    Synonym.objects.all().delete()
    Synonym.objects.create(terms="EPCI, intercommunalité")
    Synonym.objects.create(terms="feuille de route, schéma directeur")
    must = search_body("EPCI schéma directeur")["query"]["bool"]["must"]
    assert must == [
        {
            "bool": {
                "should": [
                    {
                        "multi_match": {
                            "query": "EPCI",
                            "fields": FIELDS,
                            "operator": "and",
                        }
                    },
                    {
                        "multi_match": {
                            "query": "intercommunalité",
                            "fields": FIELDS,
                            "operator": "and",
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        },
        {
            "bool": {
                "should": [
                    {
                        "multi_match": {
                            "query": "feuille de route",
                            "fields": FIELDS,
                            "type": "phrase",
                        }
                    },
                    {
                        "multi_match": {
                            "query": "schéma directeur",
                            "fields": FIELDS,
                            "type": "phrase",
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        },
    ]


def test_members_filters_date_order_and_pagination():
    body = search_body(
        "numérique",
        filters={"kind": "article", "theme": "cybersecurite", "year": 2025},
        visibilities=("public", "members"),
        sort="date",
        page=3,
    )
    kind = {"term": {"kind": "article"}}
    theme = {"term": {"themes": "cybersecurite"}}
    year = {"term": {"year": 2025}}
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"visibility": ["members", "public"]}}
    ]
    assert body["post_filter"] == {"bool": {"filter": [kind, theme, year]}}
    assert body["aggs"] == facet_aggs(kind=kind, theme=theme, year=year)
    assert body["aggs"]["year"]["filter"] == {"bool": {"filter": [kind, theme]}}
    assert body["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
    assert body["highlight"] == HIGHLIGHT
    assert (body["from"], body["size"]) == (20, 10)


def test_search_sends_the_body_to_the_alias_and_reads_keys_total_facets_snippets(
    fake_client,
):
    fake_client.search.return_value.body = {
        "hits": {
            "total": {"value": 12, "relation": "eq"},
            "hits": [
                {
                    "_id": "page:7",
                    "highlight": {
                        "lead": ["Former les <mark>élus</mark>."],
                        "body": ["Les <mark>élus</mark> et leurs <mark>élus</mark>."],
                    },
                },
                {
                    "_id": "page:3",
                    # Matched in the title only: the start of each field.
                    "highlight": {"lead": ["Une formation."], "body": ["Le corps."]},
                },
                {"_id": "page:5", "highlight": {"body": ["Des <mark>élus</mark>"]}},
                {"_id": "page:9"},  # Nothing to highlight.
            ],
        },
        "aggregations": {
            "kind": {"values": {"buckets": [{"key": "article", "doc_count": 9}]}},
            "year": {"values": {"buckets": [{"key": 2025, "doc_count": 12}]}},
            "theme": {"values": {"buckets": []}},
        },
    }
    query = parse("élus")
    arguments = {
        "filters": {},
        "visibilities": ("public",),
        "sort": "relevance",
        "offset": 0,
        "limit": 10,
    }
    answer = es.ElasticsearchBackend().search(query, **arguments)
    assert answer.ids == ["page:7", "page:3", "page:5", "page:9"]
    assert answer.count == 12
    assert answer.facets == {
        "kind": [("article", 9)],
        "theme": [],
        "region": [],
        "collectivity_kind": [],
        "year": [("2025", 12)],
    }
    # The fragment with the most matches; the lead's when none matched.
    assert answer.snippets == {
        "page:7": "Les <mark>élus</mark> et leurs <mark>élus</mark>.",
        "page:3": "Une formation.",
        "page:5": "Des <mark>élus</mark>",
    }
    fake_client.search.assert_called_once_with(
        index="retex-documents", body=es.build_search(query, **arguments).to_dict()
    )


def test_an_elasticsearch_answer_is_cached_with_its_snippets(
    client, corpus, fake_client
):
    key = f"page:{corpus['article'].pk}"
    fake_client.search.return_value.body = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [{"_id": key, "highlight": {"lead": ["les <mark>élus</mark>"]}}],
        },
    }
    first = api(client, q="élus")
    assert first["results"][0]["snippet"] == "… les <mark>élus</mark> …"
    assert api(client, q="élus") == first
    assert fake_client.search.call_count == 1


def test_an_empty_query_asks_nothing(fake_client):
    result = es.ElasticsearchBackend().search(
        parse("de la"),
        filters={},
        visibilities=("public",),
        sort="relevance",
        offset=0,
        limit=10,
    )
    assert result == SearchAnswer([], 0, {}, {})
    fake_client.search.assert_not_called()


def test_suggestions_use_the_completion_suggester_with_the_visibility_context(
    fake_client,
):
    fake_client.search.return_value.body = {
        "suggest": {
            "titles": [
                {
                    "text": "ville de lann",
                    "options": [{"_id": "page:4"}, {"_id": "page:4"}],
                }
            ]
        }
    }
    backend = es.ElasticsearchBackend()
    assert backend.suggest(" ville  de lann", visibilities=("public",)) == ["page:4"]
    fake_client.search.assert_called_once_with(
        index="retex-documents",
        body={
            "_source": False,
            "suggest": {
                "titles": {
                    "prefix": "ville de lann",
                    "completion": {
                        "field": "suggest",
                        "size": 8,
                        "contexts": {"visibility": ["public"]},
                    },
                }
            },
        },
    )
    assert backend.suggest("é", visibilities=("public",)) == []
    assert fake_client.search.call_count == 1


# --- Writing ---------------------------------------------------------------------------

DOCUMENTS = [
    SearchDocument(
        key="page:3",
        page_id=3,
        kind="article",
        title="Former les élus",
        lead="Une formation.",
        body="Le corps.",
        themes=["cybersecurite"],
        theme_names=["Cybersécurité"],
        date=datetime.date(2025, 3, 1),
        url="/ressources/former-les-elus/",
        visibility="members",
        suggestions=["Former les élus"],
    ),
    SearchDocument(
        key="page:4",
        page_id=4,
        kind="collectivite",
        title="Ville de Lannion",
        collectivity_kind="commune",
        region="53",
        url="/membres/lannion/",
    ),
]

ACTIONS = [
    {
        "_index": "retex-documents",
        "_id": "page:3",
        "_source": {
            "key": "page:3",
            "page_id": 3,
            "kind": "article",
            "title": "Former les élus",
            "lead": "Une formation.",
            "body": "Le corps.",
            "themes": ["cybersecurite"],
            "theme_names": ["Cybersécurité"],
            "visibility": "members",
            "date": "2025-03-01",
            "year": 2025,
            "url": "/ressources/former-les-elus/",
            "suggest": {
                "input": ["Former les élus", "les élus", "élus"],
                "weight": 9191,
            },
        },
    },
    {
        "_index": "retex-documents",
        "_id": "page:4",
        "_source": {
            "key": "page:4",
            "page_id": 4,
            "kind": "collectivite",
            "title": "Ville de Lannion",
            "collectivity_kind": "commune",
            "region": "53",
            "visibility": "public",
            "url": "/membres/lannion/",
            "suggest": {
                "input": ["Ville de Lannion", "de Lannion", "Lannion"],
                "weight": 1,
            },
        },
    },
]


def test_documents_become_bulk_index_actions_by_key_through_the_alias(
    fake_client, bulk_calls
):
    es.ElasticsearchBackend().index(DOCUMENTS)
    assert bulk_calls == [
        {
            "actions": ACTIONS,
            "chunk_size": 500,
            "refresh": "wait_for",
            "require_alias": True,
        }
    ]


def test_removal_is_bulk_deletes_by_key_missing_ones_ignored(fake_client, bulk_calls):
    backend = es.ElasticsearchBackend()
    backend.remove(["page:3", "page:9"])
    backend.remove([])
    backend.index([])
    assert bulk_calls == [
        {
            "actions": [
                {"_op_type": "delete", "_index": "retex-documents", "_id": "page:3"},
                {"_op_type": "delete", "_index": "retex-documents", "_id": "page:9"},
            ],
            "chunk_size": 500,
            "refresh": "wait_for",
            "ignore_status": (404,),
        }
    ]


OLD = "retex-documents-20250101000000000000"
ORPHAN = "retex-documents-20250102000000000000"  # Left by a failed rebuild.
NEW = "retex-documents-20260101000000000000"


def response(body):
    return mock.Mock(body=body)


def test_rebuild_fills_a_new_index_switches_the_alias_atomically_and_drops_the_old(
    fake_client, bulk_calls, monkeypatch
):
    Synonym.objects.all().delete()
    Synonym.objects.create(terms="EPCI, intercommunalité")
    monkeypatch.setattr(es.ElasticsearchBackend, "new_index_name", lambda self: NEW)
    fake_client.indices.exists_alias.return_value = True
    fake_client.indices.get_alias.return_value = response({OLD: {"aliases": {}}})
    fake_client.indices.get.return_value = response(
        {OLD: {}, ORPHAN: {}, NEW: {}, "retex-documents-backup": {}}
    )
    assert es.ElasticsearchBackend().rebuild(DOCUMENTS) == 2

    definition = es.build_index(NEW, ["EPCI, intercommunalité"]).to_dict()
    indices = fake_client.indices
    indices.create.assert_called_once_with(
        index=NEW, settings=definition["settings"], mappings=definition["mappings"]
    )
    assert bulk_calls == [
        {
            "actions": [{**action, "_index": NEW} for action in ACTIONS],
            "chunk_size": 500,
        }
    ]
    indices.refresh.assert_called_once_with(index=NEW)
    indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove": {"index": OLD, "alias": "retex-documents"}},
            {"add": {"index": NEW, "alias": "retex-documents"}},
        ]
    )
    assert indices.delete.call_args_list == [
        mock.call(index=OLD),
        mock.call(index=ORPHAN),
    ]
    # The alias moved before anything was deleted: no moment without an index.
    names = [name for name, _args, _kwargs in fake_client.mock_calls]
    assert names.index("indices.update_aliases") < names.index("indices.delete")


def test_the_first_rebuild_replaces_an_index_named_like_the_alias(
    fake_client, bulk_calls, monkeypatch
):
    monkeypatch.setattr(es.ElasticsearchBackend, "new_index_name", lambda self: NEW)
    fake_client.indices.exists.return_value = True  # auto-created by a write
    fake_client.indices.exists_alias.return_value = False
    fake_client.indices.get.return_value = response({NEW: {}})
    es.ElasticsearchBackend().rebuild([])
    fake_client.indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove_index": {"index": "retex-documents"}},
            {"add": {"index": NEW, "alias": "retex-documents"}},
        ]
    )
    fake_client.indices.delete.assert_not_called()


def test_a_failed_rebuild_deletes_its_new_index_and_leaves_the_alias(
    fake_client, monkeypatch
):
    monkeypatch.setattr(es.ElasticsearchBackend, "new_index_name", lambda self: NEW)

    def failing_bulk(client, actions, **options):
        raise es.BulkIndexError("1 document(s) failed to index.", [{}])

    monkeypatch.setattr(es, "bulk", failing_bulk)
    with pytest.raises(es.BulkIndexError):
        es.ElasticsearchBackend().rebuild(DOCUMENTS)
    fake_client.indices.update_aliases.assert_not_called()
    fake_client.indices.delete.assert_called_once_with(index=NEW)


NEWER = "retex-documents-20260101000000000001"  # A rebuild started after NEW.


def test_a_rebuild_finishing_after_a_newer_one_leaves_the_alias_to_it(
    fake_client, bulk_calls, monkeypatch
):
    monkeypatch.setattr(es.ElasticsearchBackend, "new_index_name", lambda self: NEW)
    fake_client.indices.exists_alias.return_value = True
    fake_client.indices.get_alias.return_value = response({NEWER: {"aliases": {}}})
    assert es.ElasticsearchBackend().rebuild(DOCUMENTS) == 0
    fake_client.indices.update_aliases.assert_not_called()
    fake_client.indices.delete.assert_called_once_with(index=NEW)


def test_a_rebuild_deletes_only_older_indexes_never_a_newer_one_being_built(
    fake_client, bulk_calls, monkeypatch
):
    monkeypatch.setattr(es.ElasticsearchBackend, "new_index_name", lambda self: NEW)
    fake_client.indices.exists_alias.return_value = True
    fake_client.indices.get_alias.return_value = response({OLD: {"aliases": {}}})
    fake_client.indices.get.return_value = response({OLD: {}, NEW: {}, NEWER: {}})
    es.ElasticsearchBackend().rebuild(DOCUMENTS)
    assert fake_client.indices.delete.call_args_list == [mock.call(index=OLD)]


# --- Synonyms reach the search analyzer: a rebuild in the background ------------------

SYNONYMS_URL = "/admin/snippets/search/synonym/"


def live_index(*rules):
    """`indices.get_settings` of the index behind the alias, with these rules."""
    analysis = {"filter": {"french_stop": {"type": "stop"}}}
    if rules:
        analysis["filter"]["french_synonyms"] = {
            "type": "synonym_graph",
            "synonyms": list(rules),
        }
    return response({OLD: {"settings": {"index": {"analysis": analysis}}}})


@pytest.fixture
def live_cluster(fake_client, bulk_calls, monkeypatch):
    """A fake cluster whose alias points to OLD; a rebuild creates NEW."""
    monkeypatch.setattr(es.ElasticsearchBackend, "new_index_name", lambda self: NEW)
    fake_client.indices.exists_alias.return_value = True
    fake_client.indices.get_alias.return_value = response({OLD: {"aliases": {}}})
    fake_client.indices.get.return_value = response({OLD: {}, NEW: {}})
    fake_client.indices.get_settings.return_value = live_index(*es.synonym_rules())
    return fake_client


def created_synonyms(client) -> list[list[str]]:
    """The synonym rules of each index created."""
    return [
        call.kwargs["settings"]["analysis"]["filter"]
        .get("french_synonyms", {})
        .get("synonyms", [])
        for call in client.indices.create.call_args_list
    ]


@pytest.fixture
def editor(client):
    user = give_mfa(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    return user


def test_a_synonym_added_by_an_editor_reaches_the_search_analyzer_in_the_background(
    client,
    editor,
    section,
    live_cluster,
    bulk_calls,
    django_capture_on_commit_callbacks,
):
    page = publish(ArticlePageFactory(parent=section("ressources"), title="Le PETR"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SYNONYMS_URL + "add/", {"terms": "PETR, pôle territorial"}
        )
    assert response.status_code == 302
    [rules] = created_synonyms(live_cluster)
    assert "PETR, pôle territorial" in rules
    assert rules == es.synonym_rules()
    # The whole site went into the new index, then the alias moved to it.
    assert [action["_id"] for action in bulk_calls[0]["actions"]] == [f"page:{page.pk}"]
    live_cluster.indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove": {"index": OLD, "alias": "retex-documents"}},
            {"add": {"index": NEW, "alias": "retex-documents"}},
        ]
    )


def test_a_synonym_deleted_or_changed_rebuilds_without_its_old_rule(
    live_cluster, django_capture_on_commit_callbacks
):
    # The seeded group (widened by migration search.0010), changed by an editor.
    synonym = Synonym.objects.get(terms__startswith="EPCI, intercommunalité")
    with django_capture_on_commit_callbacks(execute=True):
        synonym.terms = "EPCI, intercommunalité, communauté de communes"
        synonym.save()
    live_cluster.indices.get_settings.return_value = live_index(*es.synonym_rules())
    with django_capture_on_commit_callbacks(execute=True):
        synonym.delete()
    first, second = created_synonyms(live_cluster)
    assert "EPCI, intercommunalité, communauté de communes" in first
    assert not any("EPCI" in rule for rule in second)


def test_edits_the_index_already_has_rebuild_nothing(
    live_cluster, django_capture_on_commit_callbacks
):
    # Several edits in a row: the first task to run after the last one rebuilt
    # with every change, the others find the index up to date.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Synonym.objects.create(terms="PETR, pôle territorial")
        Synonym.objects.create(terms="CDG, centre de gestion")
        live_cluster.indices.get_settings.return_value = live_index(*es.synonym_rules())
    assert len(callbacks) == 2
    live_cluster.indices.create.assert_not_called()
    assert rebuild_elasticsearch_index.call() is None


def test_without_elasticsearch_a_synonym_change_enqueues_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Synonym.objects.create(terms="PETR, pôle territorial")
        Synonym.objects.filter(terms__startswith="EPCI").delete()
    assert callbacks == []
    assert rebuild_elasticsearch_index.call() is None


def test_a_synonym_saved_while_elasticsearch_is_down_is_kept_and_the_failure_logged(
    client, editor, settings, logged, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SYNONYMS_URL + "add/", {"terms": "PETR, pôle territorial"}
        )
    assert response.status_code == 302
    assert Synonym.objects.filter(terms="PETR, pôle territorial").exists()
    failure = next(r for r in logged if r.name == "search.tasks")
    assert failure.levelno == logging.ERROR
    assert "search_reindex" in failure.getMessage()
    with pytest.raises(ESConnectionError):
        rebuild_elasticsearch_index.call()


# --- Elasticsearch down: the database answers ------------------------------------------


def test_the_service_shows_the_entries_of_the_keys_elasticsearch_found(
    client, corpus, settings, monkeypatch
):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.test:9200"
    keys = [
        "page:404",  # Deleted since: no entry.
        f"page:{corpus['members_only'].pk}",  # Not for visitors, whatever ES says.
        f"page:{corpus['town'].pk}",
        f"page:{corpus['article'].pk}",
    ]
    snippets = {
        f"page:{corpus['members_only'].pk}": "Compte rendu des <mark>élus</mark>.",
        f"page:{corpus['article'].pk}": "pour les <mark>élus</mark> des petites",
    }
    monkeypatch.setattr(
        es.ElasticsearchBackend,
        "search",
        lambda self, query, **arguments: SearchAnswer(
            keys, 4, {"kind": [("article", 1)]}, snippets
        ),
    )
    data = api(client, q="élus")
    assert titles(data) == ["Ville de Lannion", "Former les élus à la cybersécurité"]
    assert data["count"] == 4
    assert data["facets"]["kind"][0]["value"] == "article"
    town, article = data["results"]
    # Elasticsearch's fragment, cut inside the lead; the service's own snippet
    # for a hit without one.
    assert article["snippet"] == "… pour les <mark>élus</mark> des petites …"
    entry = SearchEntry.objects.get(key=f"page:{corpus['town'].pk}")
    assert town["snippet"] == snippet(
        entry.lead + "\n" + entry.body, parse("élus").all_terms
    )
    assert "Compte rendu" not in json.dumps(data)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        # Escaped by Elasticsearch (encoder: html): shown as written, not escaped
        # twice.
        (
            "<mark>Élus</mark> &amp; agents &lt;script&gt;alert(1)&lt;/script&gt;",
            "<mark>Élus</mark> &amp; agents &lt;script&gt;alert(1)&lt;/script&gt; …",
        ),
        # Not escaped (a cluster set up otherwise): escaped here all the same.
        (
            '<mark>Élus</mark> & agents <script>alert(1)</script> <b onclick="x">',
            "<mark>Élus</mark> &amp; agents &lt;script&gt;alert(1)&lt;/script&gt; "
            "&lt;b onclick=&quot;x&quot;&gt;",
        ),
        # <mark> stays the only tag, balanced.
        ("</mark><mark><mark>Élus & agents", "<mark>Élus &amp; agents</mark> …"),
    ],
)
def test_a_highlight_from_elasticsearch_is_safe_html_with_only_mark_tags(
    fragment, expected
):
    lead = "Élus & agents <script>alert(1)</script>"
    body = '<b onclick="x">'
    assert highlighted(fragment, lead + "\n" + body) == expected


def test_a_highlight_cut_inside_the_text_says_so():
    text = "Un début. Les élus se forment. Une fin."
    assert highlighted("Les <mark>élus</mark> se forment.", text) == (
        "… Les <mark>élus</mark> se forment. …"
    )
    assert highlighted("Un début.", text) == "Un début. …"
    assert highlighted("Une fin.", text) == "… Une fin."


def test_a_highlight_of_text_the_entry_no_longer_has_is_never_shown():
    """After an indexing failure the cluster may still hold a document's text
    that the database entry dropped (it became members-only): the database's
    own snippet is shown instead."""
    text = "Un début. Les élus se forment. Une fin."
    assert highlighted("Le <mark>mot</mark> secret du document.", text) is None

    entry = SearchEntry(
        key="page:1", title="Titre", url="/t/", kind="article", lead="", body=text
    )
    shown = result_of(
        entry, parse("élus"), highlight="Le <mark>élus</mark> secret du document."
    )
    assert "secret" not in shown["snippet"]
    assert shown["snippet"] == snippet(text, parse("élus").all_terms)


def test_the_search_page_never_runs_a_script_from_a_highlight(
    client, corpus, settings, monkeypatch
):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.test:9200"
    key = f"page:{corpus['article'].pk}"
    # Text an editor wrote (as text) in the page, so the fragment is the entry's.
    entry = SearchEntry.objects.get(key=key)
    entry.body += "\nDébut. Les élus <script>alert(1)</script> Fin."
    entry.save()
    monkeypatch.setattr(
        es.ElasticsearchBackend,
        "search",
        lambda self, query, **arguments: SearchAnswer(
            [key], 1, {}, {key: "Les <mark>élus</mark> <script>alert(1)</script>"}
        ),
    )
    html = client.get("/recherche/", {"q": "élus"}).content.decode()
    assert "Les <mark>élus</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    snippet = api(client, q="élus")["results"][0]["snippet"]
    assert snippet == "… Les <mark>élus</mark> &lt;script&gt;alert(1)&lt;/script&gt; …"


def test_search_answers_from_the_database_when_elasticsearch_is_down(
    client, corpus, settings, logged
):
    settings.ELASTICSEARCH_URL = DOWN
    data = api(client, q="élus formation")
    assert titles(data) == ["Former les élus à la cybersécurité"]
    failures = [r for r in logged if r.name == "search.service"]
    assert failures[0].levelno == logging.ERROR
    assert "answering from the database" in failures[0].getMessage()
    assert isinstance(failures[0].exc_info[1], ESConnectionError)

    # Meanwhile Elasticsearch is not tried again; members still get their pages.
    data = api(member_client(client), q="élus")
    assert "Séminaire des DSI" in titles(data)
    assert isinstance(logged[-1].exc_info[1], es.ElasticsearchUnavailable)


def test_suggestions_come_from_the_database_when_elasticsearch_is_down(
    client, corpus, settings, logged
):
    settings.ELASTICSEARCH_URL = DOWN
    data = api(client, "/api/search/suggest/", q="ville de lann")
    assert [s["title"] for s in data["suggestions"]] == ["Ville de Lannion"]
    assert api(client, "/api/search/suggest/", q="sémi")["suggestions"] == []
    assert any("suggesting from the database" in r.getMessage() for r in logged)


def test_publishing_while_elasticsearch_is_down_indexes_the_database_and_logs(
    client, section, corpus, settings, logged, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        publish(ArticlePageFactory(parent=section("ressources"), title="Sobriété"))
    assert SearchEntry.objects.filter(title="Sobriété").exists()
    assert any(
        r.name == "search.backends.elasticsearch" and "search_reindex" in r.getMessage()
        for r in logged
    )
    assert "Sobriété" in titles(api(client, q="sobriété"))


def test_reindexing_while_elasticsearch_is_down_rebuilds_the_database_then_fails(
    section, corpus, settings
):
    ArticlePageFactory(parent=section("ressources"), title="Sobriété")
    SearchEntry.objects.all().delete()
    settings.ELASTICSEARCH_URL = DOWN
    with pytest.raises(CommandError, match="database index is up to date"):
        call_command("search_reindex", stdout=io.StringIO())
    assert SearchEntry.objects.filter(title="Sobriété").exists()


def test_after_a_connection_failure_elasticsearch_is_left_alone_for_a_while(
    fake_client, monkeypatch
):
    fake_client.search.side_effect = ESConnectionError("refused")
    backend = es.ElasticsearchBackend()
    with pytest.raises(ESConnectionError):
        backend.suggest("ville", visibilities=("public",))
    with pytest.raises(es.ElasticsearchUnavailable):
        backend.suggest("ville", visibilities=("public",))
    assert fake_client.search.call_count == 1
    now = time.monotonic()
    monkeypatch.setattr(es.time, "monotonic", lambda: now + es.RETRY_AFTER + 1)
    fake_client.search.side_effect = None
    fake_client.search.return_value.body = {"suggest": {"titles": [{"options": []}]}}
    assert backend.suggest("ville", visibilities=("public",)) == []


# --- The fake client ----------------------------------------------------------------


def test_the_fake_client_refuses_calls_the_real_one_would_refuse(fake_client):
    """A call the backend makes with a wrong name or argument fails the tests here,
    as it would fail against a cluster."""
    with pytest.raises(TypeError):
        fake_client.search(indexes="retex-documents", body={})
    with pytest.raises(TypeError):
        fake_client.indices.delete("retex-documents")  # Keyword-only.
    with pytest.raises(AttributeError):
        fake_client.indices.create_index(index="retex-documents")
    fake_client.search(index="retex-documents", body={})
