"""The Elasticsearch search backend, used when `ELASTICSEARCH_URL` is set.

It stores the same `SearchDocument`s as the database backend and answers the
same `ParsedQuery`, so the site does not care which one answered: the service
falls back to the database when Elasticsearch fails, and the database index is
always kept up to date as well.

Index. The documents are `ElasticsearchDocument`s, an `elasticsearch.dsl`
`Document` declaring the fields, their analyzers and a strict mapping. One
versioned index per rebuild, `{prefix}-documents-{timestamp}`, behind the alias
`{prefix}-documents`: `rebuild()` binds the document class to a new index name,
fills it, refreshes it, moves the alias in one atomic `update_aliases` call and
deletes the older indexes: searches never see a half-built index. Should two
rebuilds overlap, the one started last wins: an older one never takes the alias
back nor deletes a newer index. `index()` and `remove()` write through the alias
(`require_alias`: a missing alias is an error, never an auto-created index with
a guessed mapping).

Analysis. French, the equivalent of `search.analysis`: elision, lower case,
accents folded, our French stop words, our plural rule and the Snowball French
stemmer (the database's terms; see docs/architecture.md). The search
analyzer also applies the editors' synonyms (`search.models.Synonym`), read
when the index is built: saving or deleting a synonym enqueues a rebuild
(`search.tasks.rebuild_elasticsearch_index`). Queries do not wait for it, though:
the query clauses already carry the synonyms' alternatives (`search.query.parse`
reads them at query time), and each alternative is sent as the words editors and
visitors wrote, for Elasticsearch to analyse, never as our own stems.

Facets. Filters (kind, theme, region, collectivity kind, year) go in the
`post_filter`, and each facet is a `filter` aggregation with every filter but its
own: choosing a region still shows the other regions' counts, as the database
backend does. Visibility is in the query itself: it applies to everything.

Highlighting. Each hit comes back with one fragment of its lead or body (the
one with the most matched words, the lead on a tie; the start of the lead when
only the title matched), the matches in `<mark>`, the text HTML-escaped by
Elasticsearch (`encoder: html`). The service escapes it again all the same and
keeps no other tag (`search.service.highlighted`).

Connection. One client per URL, created on first use, with short timeouts and
no retries; after a connection failure Elasticsearch is not tried again for
`RETRY_AFTER` seconds in this process, so a cluster that is down costs the
visitors nothing (the service answers from the database).
"""

import datetime
import logging
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from elasticsearch import (
    ApiError,
    ConnectionTimeout,
    Elasticsearch,
    TransportError,
)
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch.dsl import (
    A,
    Completion,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.helpers import BulkIndexError, bulk

from search import cache as search_cache
from search.analysis import ELISIONS, STOP_WORDS, fold, terms
from search.cache import SearchAnswer
from search.documents import SearchDocument
from search.query import Alternative, ParsedQuery

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT = 2  # seconds, for searches and suggestions
WRITE_TIMEOUT = 30  # seconds, for indexing and index management
RETRY_AFTER = 30  # seconds without trying again after a connection failure
BULK_CHUNK = 500

# Multi-match fields and their weights (the database ranks title 10, lead 4, body 1).
FIELDS = ["title^3", "lead^2", "body", "theme_names"]
PHRASE_FIELDS = ["title^4", "lead^2", "body"]

# Facet name (as the service and the views know it) → field, and how many values.
FACETS = {
    "kind": ("kind", 10),
    "theme": ("themes", 50),
    "region": ("region", 30),
    "collectivity_kind": ("collectivity_kind", 20),
    "year": ("year", 50),
}

# A word as typed, accents kept (the pattern of `search.analysis.words`, unfolded).
_ORIGINAL_WORD = re.compile(r"[^\W_]+(?:['\u2019\u02bc`\u00b4][^\W_]+)?")
# What a synonym term may hold: anything else could be synonym-rule syntax.
_SYNONYM_UNSAFE = re.compile(r"[^\w\s'\u2019-]")

TEXT_ANALYZER = "french_text"
SEARCH_ANALYZER = "french_search"
SUGGEST_ANALYZER = "french_suggest"
SYNONYM_FILTER = "french_synonyms"

# Highlighted fragments: about the 30 words of the database's snippets.
HIGHLIGHT_FIELDS = ("lead", "body")
HIGHLIGHT_SIZE = 200  # characters
# Highlighting stops there in long bodies (attached documents' text) instead of
# failing: the default `index.highlight.max_analyzed_offset` is 1,000,000.
HIGHLIGHT_MAX_OFFSET = 999_999

EMPTY = (None, "", [])  # Values left out of the stored documents.


class ElasticsearchUnavailable(Exception):
    """Elasticsearch failed to answer a moment ago: not tried again yet."""


# --- Index definition ------------------------------------------------------------------

_elision = token_filter(
    "french_elision", type="elision", articles_case=True, articles=sorted(ELISIONS)
)
_stop = token_filter("french_stop", type="stop", stopwords=sorted(STOP_WORDS))
# The plural rule of `search.analysis.stem` (a final s, not of "ss", or x, off
# words of 4 letters or more), then the same Snowball French stemmer: the
# cluster's terms are the database's (`tests/search/test_elasticsearch.py`
# checks the rule on a list of words; the differences left are in
# docs/architecture.md).
PLURAL_PATTERN = r"^(?=.{4,}$)(.*?)(?:(?<!s)s|x)$"
_plural = token_filter(
    "french_plural", type="pattern_replace", pattern=PLURAL_PATTERN, replacement="$1"
)
_stemmer = token_filter("french_stemmer", type="snowball", language="French")
_text_analyzer = analyzer(
    TEXT_ANALYZER,
    tokenizer="standard",
    filter=[_elision, "lowercase", "asciifolding", _stop, _plural, _stemmer],
)
_suggest_analyzer = analyzer(
    SUGGEST_ANALYZER,
    tokenizer="standard",
    filter=[_elision, "lowercase", "asciifolding"],
)


def _text(**options) -> Text:
    # The search analyzer is only named here: each index defines it when it is
    # built, with the editors' synonyms of that moment (`build_index`).
    return Text(analyzer=_text_analyzer, search_analyzer=SEARCH_ANALYZER, **options)


class ElasticsearchDocument(Document):
    """A `SearchDocument` as Elasticsearch stores it: the mapping of every index
    is this class's, and bulk actions are its instances' `to_dict()`."""

    key = Keyword()
    page_id = Integer()
    kind = Keyword()
    title = _text()
    lead = _text()
    body = _text()
    themes = Keyword(multi=True)
    theme_names = _text(multi=True)
    collectivity_kind = Keyword()
    region = Keyword()
    visibility = Keyword()
    date = Date(format="strict_date")
    year = Integer()
    url = Keyword(index=False, doc_values=False)
    # Suggestions are filtered by who may see them, as the searches are.
    suggest = Completion(
        analyzer=_suggest_analyzer,
        contexts=[{"name": "visibility", "type": "category", "path": "visibility"}],
    )

    class Meta:
        # A field this class does not declare is an error, never a guessed mapping.
        dynamic = MetaField("strict")

    class Index:
        # No name: every document says which index it goes to (the alias, or the
        # new versioned index of a rebuild); writing without one is refused.
        settings = {"number_of_shards": 1}

    @classmethod
    def of(cls, document: SearchDocument, *, index: str) -> "ElasticsearchDocument":
        """The document for `index`; empty values are left out (no empty facet
        values)."""
        fields = {
            "key": document.key,
            "page_id": document.page_id,
            "kind": document.kind,
            "title": document.title,
            "lead": document.lead,
            "body": document.body,
            "themes": document.themes,
            "theme_names": document.theme_names,
            "collectivity_kind": document.collectivity_kind,
            "region": document.region,
            "visibility": document.visibility,
            "date": document.date.isoformat() if document.date else None,
            "year": document.year,
            "url": document.url,
            "suggest": {
                "input": suggest_inputs(document.suggestions or [document.title]),
                "weight": suggest_weight(document.date),
            },
        }
        return cls(
            meta={"id": document.key, "index": index},
            **{name: value for name, value in fields.items() if value not in EMPTY},
        )


def synonym_rules() -> list[str]:
    """The editors' synonyms as Elasticsearch equivalence rules: "a, b, c"."""
    from search.models import Synonym

    rules = []
    for synonym in Synonym.objects.all():
        group = [
            " ".join(_SYNONYM_UNSAFE.sub(" ", term).split())
            for term in synonym.term_list()
        ]
        group = list(dict.fromkeys(term for term in group if term))
        if len(group) > 1:
            rules.append(", ".join(group))
    return rules


def search_analyzer(synonyms: list[str]):
    """The analyzer of the words searched: the text analyzer's, with the synonyms
    before the stop words and the stemmer (the rules are analysed by the filters
    before theirs, so "Intercommunalité" is matched folded)."""
    filters = [_elision, "lowercase", "asciifolding"]
    if synonyms:
        filters.append(
            token_filter(
                SYNONYM_FILTER,
                type="synonym_graph",
                synonyms=synonyms,
                lenient=True,
            )
        )
    filters += [_stop, _plural, _stemmer]
    return analyzer(SEARCH_ANALYZER, tokenizer="standard", filter=filters)


def build_index(name: str, synonyms: list[str]) -> Index:
    """The index `name` of `ElasticsearchDocument`s: its analysis settings, with
    these synonyms, and its mapping."""
    index = ElasticsearchDocument._index.clone(name=name)
    index.analyzer(search_analyzer(synonyms))
    return index


# --- Documents -------------------------------------------------------------------------

MAX_SUGGEST_WORDS = 12


def suggest_inputs(suggestions: list[str]) -> list[str]:
    """Each suggestion from each of its words: "ville de lann" and "lann" both
    complete "Ville de Lannion", like the database's suggestions."""
    inputs = []
    for suggestion in suggestions:
        words = suggestion.split()
        inputs.extend(
            " ".join(words[i:]) for i in range(min(len(words), MAX_SUGGEST_WORDS))
        )
    return list(dict.fromkeys(inputs))


def suggest_weight(date: datetime.date | None) -> int:
    """Newer first among suggestions, as in the database: days since 2000."""
    if date is None:
        return 1
    return max(1, (date - datetime.date(2000, 1, 1)).days)


def index_actions(documents: Iterable[SearchDocument], index: str) -> Iterator[dict]:
    """Bulk "index" actions (the helper's default), by key."""
    for document in documents:
        yield ElasticsearchDocument.of(document, index=index).to_dict(include_meta=True)


def delete_actions(keys: Iterable[str], index: str) -> Iterator[dict]:
    for key in keys:
        yield {"_op_type": "delete", "_index": index, "_id": key}


def alias_actions(alias: str, new: str, old: list[str], *, blocking_index=False):
    """One atomic alias switch: off the old indexes, onto the new one."""
    actions = [{"remove": {"index": name, "alias": alias}} for name in sorted(old)]
    if blocking_index:  # A plain index named like the alias (auto-created).
        actions.append({"remove_index": {"index": alias}})
    actions.append({"add": {"index": new, "alias": alias}})
    return actions


# --- Queries ---------------------------------------------------------------------------


def _original_texts(text: str) -> dict[Alternative, str]:
    """Analysed alternative → the words as typed: a quoted phrase, or a word."""
    originals = {}
    for position, part in enumerate(re.split(r'"([^"]*)"', text)):
        part = part.replace('"', " ")
        if position % 2:
            key = tuple(terms(part))
            if key:
                originals.setdefault(key, " ".join(part.split()))
            continue
        for word in _ORIGINAL_WORD.findall(part):
            key = tuple(terms(word))
            if key:
                originals.setdefault(key, word)
    return originals


def _synonym_texts() -> dict[Alternative, str]:
    from search.models import Synonym

    originals = {}
    for synonym in Synonym.objects.all():
        for term in synonym.term_list():
            key = tuple(terms(term))
            if key:
                originals.setdefault(key, term)
    return originals


def query_texts(query: ParsedQuery) -> list[list[tuple[str, bool]]]:
    """The clauses of `query` as the original texts of their alternatives, each
    with whether it is a phrase (several terms)."""
    originals = _original_texts(query.text)
    if any(alt not in originals for clause in query.clauses for alt in clause):
        for key, text in _synonym_texts().items():
            originals.setdefault(key, text)
    return [
        [(originals.get(alt, " ".join(alt)), len(alt) > 1) for alt in clause]
        for clause in query.clauses
    ]


def _match(text: str, phrase: bool) -> Q:
    if phrase:
        return Q("multi_match", query=text, fields=FIELDS, type="phrase")
    return Q("multi_match", query=text, fields=FIELDS, operator="and")


def _filters(filters: dict) -> dict[str, Q]:
    clauses = {}
    for name, (field, _size) in FACETS.items():
        value = filters.get(name)
        if value in (None, ""):
            continue
        clauses[name] = Q("term", **{field: int(value) if name == "year" else value})
    return clauses


def build_search(
    query: ParsedQuery,
    *,
    filters: dict,
    visibilities,
    sort: str,
    offset: int,
    limit: int,
) -> Search:
    must = []
    for clause in query_texts(query):
        alternatives = [_match(text, phrase) for text, phrase in clause]
        if len(alternatives) == 1:
            must.append(alternatives[0])
        else:
            must.append(Q("bool", should=alternatives, minimum_should_match=1))
    should = []
    if query.phrase:
        # The whole query as one phrase ranks exact phrases above scattered words.
        should.append(
            Q(
                "multi_match",
                query=" ".join(query.text.replace('"', " ").split()),
                fields=PHRASE_FIELDS,
                type="phrase",
                boost=2,
            )
        )
    if query.minimum is not None and len(must) > 1:
        # Relaxed: at least `minimum` clauses, entries matching more ranked
        # first (each matching clause adds to the score), as the database does.
        must = [Q("bool", should=must, minimum_should_match=query.minimum)]
    search = Search().query(
        Q(
            "bool",
            must=must,
            should=should,
            filter=[Q("terms", visibility=sorted(visibilities))],
        )
    )
    chosen = _filters(filters)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    for name, (field, size) in FACETS.items():
        others = [clause for other, clause in chosen.items() if other != name]
        facet = A("filter", Q("bool", filter=others) if others else Q("match_all"))
        facet.bucket("values", "terms", field=field, size=size)
        search.aggs.bucket(name, facet)
    newest = {"date": {"order": "desc", "missing": "_last"}}
    order = [newest, "_score"] if sort == "date" else ["_score", newest]
    search = search.sort(*order).source(False).extra(track_total_hits=True)
    search = search.highlight(*HIGHLIGHT_FIELDS).highlight_options(
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        encoder="html",
        number_of_fragments=1,
        fragment_size=HIGHLIGHT_SIZE,
        no_match_size=HIGHLIGHT_SIZE,
        max_analyzed_offset=HIGHLIGHT_MAX_OFFSET,
    )
    return search[offset : offset + limit]


def build_suggest(text: str, *, visibilities, limit: int) -> Search:
    return (
        Search()
        .source(False)
        .suggest(
            "titles",
            text,
            completion={
                "field": "suggest",
                "size": limit,
                "contexts": {"visibility": sorted(visibilities)},
            },
        )
    )


def best_fragment(highlight: dict) -> str | None:
    """The fragment with the most matched words, the lead's on a tie (also when
    nothing matched: the start of the lead, else of the body)."""
    fragments = [
        highlight[field][0] for field in HIGHLIGHT_FIELDS if highlight.get(field)
    ]
    if not fragments:
        return None
    return max(fragments, key=lambda fragment: fragment.count("<mark>"))


def parse_response(response: dict) -> SearchAnswer:
    hits = response["hits"]["hits"]
    keys = [hit["_id"] for hit in hits]
    snippets = {}
    for hit in hits:
        fragment = best_fragment(hit.get("highlight", {}))
        if fragment:
            snippets[hit["_id"]] = fragment
    total = response["hits"]["total"]["value"]
    facets = {
        name: [
            (str(bucket["key"]), bucket["doc_count"])
            for bucket in response.get("aggregations", {})
            .get(name, {})
            .get("values", {})
            .get("buckets", [])
        ]
        for name in FACETS
    }
    return SearchAnswer(keys, total, facets, snippets)


# --- The backend -----------------------------------------------------------------------

_clients: dict[str, Elasticsearch] = {}
_unavailable_until: dict[str, float] = {}


def client_for(url: str) -> Elasticsearch:
    if url not in _clients:
        _clients[url] = Elasticsearch(
            url,
            request_timeout=REQUEST_TIMEOUT,
            retry_on_timeout=False,
            max_retries=0,
        )
    return _clients[url]


def reset_connections() -> None:
    """Forget the clients and the failures (tests, or after a settings change)."""
    _clients.clear()
    _unavailable_until.clear()


class ElasticsearchBackend:
    name = "elasticsearch"
    # `search()` and `suggest()` answer `SearchEntry.key`s, not primary keys.
    result_field = "key"

    def __init__(self, url: str | None = None, prefix: str | None = None):
        self.url = url or settings.ELASTICSEARCH_URL
        self.prefix = prefix or getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "retex")
        self.alias = f"{self.prefix}-documents"

    @property
    def client(self) -> Elasticsearch:
        return client_for(self.url)

    def new_index_name(self) -> str:
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    @contextmanager
    def _connection(self):
        """Skip Elasticsearch for a while after it failed to answer at all."""
        if _unavailable_until.get(self.url, 0) > time.monotonic():
            raise ElasticsearchUnavailable(f"no answer less than {RETRY_AFTER} s ago")
        try:
            yield self.client
        except (ESConnectionError, ConnectionTimeout):
            _unavailable_until[self.url] = time.monotonic() + RETRY_AFTER
            raise

    # --- Writing -----------------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        """Add or replace the documents. A failure is logged, not raised: the
        database index is up to date, and `search_reindex` repairs this one."""
        if documents:
            self._write(index_actions(documents, self.alias), require_alias=True)

    def remove(self, keys: list[str]) -> None:
        """Delete the documents (a missing one is not an error); failures are
        logged, as for `index()`."""
        if keys:
            self._write(delete_actions(keys, self.alias), ignore_status=(404,))

    def _write(self, actions, **options) -> None:
        search_cache.index_changed()
        try:
            with self._connection() as client:
                bulk(
                    client.options(request_timeout=WRITE_TIMEOUT),
                    actions,
                    chunk_size=BULK_CHUNK,
                    refresh="wait_for",
                    **options,
                )
        except (ElasticsearchUnavailable, TransportError, ApiError, BulkIndexError):
            logger.exception(
                "Elasticsearch index %s not updated; run `manage.py search_reindex` "
                "once it is back",
                self.alias,
            )

    def rebuild(self, documents) -> int:
        """Index every document into a new index, then switch the alias to it.

        Rebuilds may overlap (a synonym saved while `search_reindex` runs): the
        one started last wins. An older one finishing later leaves the alias
        alone, and each deletes only the indexes older than its own.
        """
        client = self.client.options(request_timeout=WRITE_TIMEOUT)
        name = self.new_index_name()
        definition = build_index(name, synonym_rules()).to_dict()
        client.indices.create(
            index=name,
            settings=definition["settings"],
            mappings=definition["mappings"],
        )
        try:
            count, _errors = bulk(
                client, index_actions(documents, name), chunk_size=BULK_CHUNK
            )
            client.indices.refresh(index=name)
            aliased = self.aliased_indexes(client)
            newer = [
                other for other in aliased if self.is_versioned(other) and other > name
            ]
            if newer:
                logger.info("%s superseded by %s: left unused", name, newer[0])
                client.options(ignore_status=404).indices.delete(index=name)
                return 0
            blocking = bool(
                client.indices.exists(index=self.alias)
                and not client.indices.exists_alias(name=self.alias)
            )
            client.indices.update_aliases(
                actions=alias_actions(
                    self.alias, name, aliased, blocking_index=blocking
                )
            )
        except Exception:
            client.options(ignore_status=404).indices.delete(index=name)
            raise
        for stale in self.versioned_indexes(client):
            if stale < name:
                client.options(ignore_status=404).indices.delete(index=stale)
        search_cache.index_changed()
        return count

    def is_versioned(self, name: str) -> bool:
        """Whether `name` is one of the alias' versioned indexes (their names sort
        by age)."""
        return bool(re.fullmatch(re.escape(self.alias) + r"-\d{20}", name))

    def live_synonym_rules(self) -> list[str] | None:
        """The synonym rules of the index behind the alias, None when unknown (no
        alias yet, Elasticsearch unreachable)."""
        try:
            with self._connection() as client:
                found = client.indices.get_settings(index=self.alias).body
        except (ElasticsearchUnavailable, TransportError, ApiError):
            return None
        if not isinstance(found, dict) or len(found) != 1:
            return None
        (index_settings,) = found.values()
        analysis = index_settings.get("settings", {}).get("index", {}).get("analysis")
        if not isinstance(analysis, dict):
            return None
        synonyms = analysis.get("filter", {}).get(SYNONYM_FILTER, {})
        return list(synonyms.get("synonyms", []))

    def aliased_indexes(self, client) -> list[str]:
        if not client.indices.exists_alias(name=self.alias):
            return []
        return sorted(client.indices.get_alias(name=self.alias).body)

    def versioned_indexes(self, client) -> list[str]:
        """Every index of this prefix, aliased or left over by a failed rebuild."""
        found = client.indices.get(
            index=f"{self.alias}-*",
            expand_wildcards="open,closed",
            allow_no_indices=True,
            ignore_unavailable=True,
        ).body
        return sorted(name for name in found if self.is_versioned(name))

    # --- Reading -----------------------------------------------------------------------

    def search(
        self, query: ParsedQuery, *, filters, visibilities, sort, offset, limit
    ) -> SearchAnswer:
        """Keys of the matching entries in order, their total count, facets, and
        a highlighted fragment per key. A query of stop words only (a name,
        `query.names`) is the database's to answer (`search.service`)."""
        if not query.clauses:
            return SearchAnswer([], 0, {})
        body = build_search(
            query,
            filters=filters,
            visibilities=visibilities,
            sort=sort,
            offset=offset,
            limit=limit,
        ).to_dict()
        with self._connection() as client:
            response = client.search(index=self.alias, body=body)
        return parse_response(response.body)

    def suggest(self, text: str, *, visibilities, limit: int = 8) -> list[str]:
        """Keys of the documents whose title (or a word of it) starts with text."""
        text = " ".join(text.split())
        if len(fold(text).strip()) < 2:
            return []
        body = build_suggest(text, visibilities=visibilities, limit=limit).to_dict()
        with self._connection() as client:
            response = client.search(index=self.alias, body=body)
        options = response.body["suggest"]["titles"][0]["options"]
        return list(dict.fromkeys(option["_id"] for option in options))
