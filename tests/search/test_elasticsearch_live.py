"""The Elasticsearch backend against a real cluster.

    ELASTICSEARCH_URL=http://localhost:9200 pytest tests/search/test_elasticsearch_live.py

Each test works under its own index prefix and deletes its indexes afterwards.
Run this module alone: with ELASTICSEARCH_URL set, the other search tests would
also write to the cluster, under the configured prefix.
"""

import datetime
import html
import io
import json
import os
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from search.backends import elasticsearch as es
from search.documents import MEMBERS, PUBLIC, SearchDocument
from search.models import Synonym
from search.query import parse
from search.tasks import rebuild_elasticsearch_index
from tests.factories import ArticlePageFactory, CollectivityPageFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="needs a live Elasticsearch cluster: set ELASTICSEARCH_URL",
    ),
    pytest.mark.django_db,
]

BOTH = (PUBLIC, MEMBERS)


@pytest.fixture
def backend(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"retex-test-{uuid.uuid4().hex[:12]}"
    es.reset_connections()
    engine = es.ElasticsearchBackend()
    yield engine
    # By name: wildcard deletes are refused by default (destructive_requires_name).
    for name in engine.versioned_indexes(engine.client):
        engine.client.options(ignore_status=404).indices.delete(index=name)
    es.reset_connections()


def document(key, title, **fields):
    return SearchDocument(
        key=key,
        page_id=int(key.split(":")[1]),
        kind=fields.pop("kind", "article"),
        title=title,
        suggestions=[title],
        **fields,
    )


DOCUMENTS = [
    document(
        "page:1",
        "Former les élus à la cybersécurité",
        lead="Une formation courte pour les élus des petites communes.",
        themes=["cybersecurite"],
        theme_names=["Cybersécurité"],
        date=datetime.date(2025, 3, 1),
    ),
    document(
        "page:2",
        "Adopter une feuille de route numérique",
        lead="Les étapes pour écrire la feuille de route d'une commune.",
        date=datetime.date(2025, 6, 1),
        region="53",
    ),
    document(
        "page:3",
        "Route et numérique",
        lead="Une feuille volante sur la route des usages numériques.",
        date=datetime.date(2026, 1, 1),
    ),
    document(
        "page:4",
        "Séminaire des DSI",
        lead="Compte rendu confidentiel.",
        visibility=MEMBERS,
        date=datetime.date(2024, 5, 1),
    ),
    document(
        "page:5",
        "Ville de Lannion",
        kind="collectivite",
        collectivity_kind="commune",
        region="53",
    ),
    document(
        "page:6",
        "Mutualiser à l'échelle de l'intercommunalité",
        lead="Partager un service numérique entre communes.",
    ),
]


def find(engine, text, *, visibilities=(PUBLIC,), filters=None, sort="relevance"):
    return engine.search(
        parse(text),
        filters=filters or {},
        visibilities=visibilities,
        sort=sort,
        offset=0,
        limit=10,
    )


def test_rebuild_leaves_exactly_one_index_behind_the_alias(backend):
    assert backend.rebuild(DOCUMENTS) == len(DOCUMENTS)
    first = backend.aliased_indexes(backend.client)
    assert len(first) == 1
    assert backend.rebuild(DOCUMENTS[:2]) == 2
    second = backend.aliased_indexes(backend.client)
    assert len(second) == 1 and second != first
    assert backend.versioned_indexes(backend.client) == second
    assert find(backend, "route").count == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("elus", "page:1"),  # Accents folded: "élus".
        ("élu formations", "page:1"),  # Light French stemming.
        ("L'ÉLU", "page:1"),  # Elision and case.
        ("lannion", "page:5"),
    ],
)
def test_french_queries_find_what_was_written(backend, text, key):
    backend.rebuild(DOCUMENTS)
    assert key in find(backend, text).ids


def test_phrases_rank_first_and_quoted_phrases_are_required(backend):
    backend.rebuild(DOCUMENTS)
    keys = find(backend, "feuille de route numérique").ids
    assert keys[0] == "page:2" and "page:3" in keys
    assert find(backend, '"feuille de route"').ids == ["page:2"]


def test_members_only_documents_are_found_by_members_only(backend):
    backend.rebuild(DOCUMENTS)
    assert find(backend, "séminaire DSI").ids == []
    assert find(backend, "séminaire DSI", visibilities=BOTH).ids == ["page:4"]


def test_synonyms_apply_from_the_query_and_from_the_analyzer(backend):
    Synonym.objects.all().delete()
    backend.rebuild(DOCUMENTS)
    assert find(backend, "EPCI").ids == []
    Synonym.objects.create(terms="EPCI, intercommunalité")
    # At once, through the query's alternatives…
    assert find(backend, "EPCI").ids == ["page:6"]
    # …and, after a rebuild, in the search analyzer itself.
    backend.rebuild(DOCUMENTS)
    response = backend.client.search(
        index=backend.alias, query={"match": {"title": "EPCI"}}
    )
    assert [hit["_id"] for hit in response["hits"]["hits"]] == ["page:6"]


def test_facets_count_with_the_other_filters_and_sort_by_date(backend):
    backend.rebuild(DOCUMENTS)
    answer = find(backend, "numérique")
    assert answer.count == 3
    assert ("article", 3) in answer.facets["kind"]
    answer = find(backend, "numérique", filters={"region": "53"})
    assert (answer.ids, answer.count) == (["page:2"], 1)
    # The region facet ignores the region filter: the other choices still show.
    assert dict(answer.facets["region"]) == {"53": 1}
    assert find(backend, "route", sort="date").ids == ["page:3", "page:2"]
    assert find(backend, "numérique", filters={"year": 2026}).ids == ["page:3"]


def test_suggestions_complete_titles_within_the_visibility(backend):
    backend.rebuild(DOCUMENTS)
    assert backend.suggest("ville de lann", visibilities=(PUBLIC,)) == ["page:5"]
    assert backend.suggest("lann", visibilities=(PUBLIC,)) == ["page:5"]
    assert backend.suggest("sémi", visibilities=(PUBLIC,)) == []
    assert backend.suggest("semi", visibilities=BOTH) == ["page:4"]


def test_index_and_remove_write_through_the_alias(backend):
    backend.rebuild(DOCUMENTS)
    backend.index([document("page:7", "Sobriété numérique")])
    assert find(backend, "sobriete").ids == ["page:7"]
    backend.remove(["page:7", "page:404"])
    assert find(backend, "sobriete").ids == []


def test_hits_come_with_a_highlighted_escaped_fragment(backend):
    backend.rebuild(
        [
            *DOCUMENTS,
            document(
                "page:8",
                "Sécurité",
                lead="<script>alert(1)</script> & la cybersécurité des mairies.",
            ),
        ]
    )
    snippets = find(backend, "élus formation").snippets
    assert "<mark>élus</mark>" in snippets["page:1"]
    assert "<mark>formation</mark>" in snippets["page:1"]
    snippet = find(backend, "mairies").snippets["page:8"]
    assert "<mark>mairies</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    # Matched in the title only: the start of the lead, nothing marked.
    assert "page:5" not in find(backend, "lannion").snippets  # No lead nor body.
    fragment = find(backend, "adopter").snippets["page:2"]
    assert html.unescape(fragment).startswith("Les étapes pour écrire la feuille")
    assert "<mark>" not in fragment


def test_a_synonym_saved_rebuilds_the_index_with_it(
    backend, section, django_capture_on_commit_callbacks
):
    Synonym.objects.all().delete()
    ArticlePageFactory(parent=section("ressources"), title="Le PETR du Trégor")
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    first = backend.aliased_indexes(backend.client)
    assert backend.live_synonym_rules() == []
    with django_capture_on_commit_callbacks(execute=True):
        Synonym.objects.create(terms="PETR, pôle territorial")
    # A new index behind the alias, whose search analyzer knows the synonym.
    assert backend.aliased_indexes(backend.client) != first
    assert backend.live_synonym_rules() == ["PETR, pôle territorial"]
    response = backend.client.search(
        index=backend.alias, query={"match": {"title": "pôle territorial"}}
    )
    assert len(response["hits"]["hits"]) == 1
    # Up to date: the next task has nothing to rebuild.
    assert rebuild_elasticsearch_index.call() is None


def test_the_site_searches_through_elasticsearch(client, section, backend):
    knowledge = section("ressources")
    ArticlePageFactory(parent=knowledge, title="Former les élus à la cybersécurité")
    restricted = ArticlePageFactory(parent=knowledge, title="Séminaire des DSI")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    CollectivityPageFactory(parent=section("membres"), title="Ville de Lannion")
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    data = json.loads(client.get("/api/search/", {"q": "elus"}).content)
    assert [r["title"] for r in data["results"]] == [
        "Former les élus à la cybersécurité"
    ]
    assert (
        json.loads(client.get("/api/search/", {"q": "séminaire"}).content)["results"]
        == []
    )
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    data = json.loads(client.get("/api/search/", {"q": "séminaire"}).content)
    assert [r["title"] for r in data["results"]] == ["Séminaire des DSI"]
    data = json.loads(client.get("/api/search/suggest/", {"q": "ville de l"}).content)
    assert [s["title"] for s in data["suggestions"]] == ["Ville de Lannion"]
