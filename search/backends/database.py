"""The embedded search backend: the documents in the database.

SQLite matches with FTS5 and ranks with bm25 (title 10, lead 4, body 1);
PostgreSQL matches the full tsvector through its GIN index and ranks with
ts_rank_cd on a bounded vector (title A, lead B, the body's first terms C,
theme names D: `RANK_WEIGHTS`), so that a broad query reads no document's full
vector and a body match still counts. Whole phrases,
ranked first, are found through a GIN index of adjacent-term pairs, a phrase of
three terms or more then checked whole in the candidates' terms (its pairs may
stand apart), as FTS5 checks it. Both match the terms of `search.analysis`, so
they answer alike. The match runs once, in a
common table expression, with the filters and the ordering in the same
statement: no per-row ranking subquery.

The SQL is assembled from constant fragments and a fixed list of column names;
every value (query terms, filters, visibilities) is passed as a parameter.
"""

# ruff: noqa: S608  (see above: no value is ever formatted into the SQL)

import datetime
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from search import cache as search_cache
from search import vocabulary
from search.analysis import fold, terms_text
from search.cache import SearchAnswer
from search.documents import SearchDocument
from search.models import SearchEntry
from search.query import ParsedQuery, fts5_match, pair_tsquery, tsquery

VOCABULARY_FIELDS = ("key", "visibility", "title", "lead", "body", "theme_names")
# Ranking (see docs/architecture.md, "Search ranking"): the text score is
# weighed by what an entry is, so that an article, a practice or an interview
# about the subject comes before a profile or an event merely tagged with it,
# and by its date, a small boost only.
KIND_WEIGHTS = {
    "article": 1.0,
    "entretien": 1.0,
    "pratique": 1.0,
    "question": 0.9,
    "document": 0.85,
    "evenement": 0.75,
    "collectivite": 0.6,
}
RECENT_DAYS = 365
RECENT_BOOST = 1.1
FUTURE_WEIGHT = 0.9


def _weight_sql(table: str) -> tuple[str, list]:
    """SQL factor (and params) of an entry's kind and date; `table` is the alias
    holding `kind` and `date`, as a format field ("{t}")."""
    today = timezone.localdate()
    kinds = " ".join(
        f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_WEIGHTS.items()
    )
    sql = (
        f"(CASE {table}.kind {kinds} ELSE 1.0 END) * (CASE "
        f"WHEN {table}.date IS NULL THEN 1.0 "
        f"WHEN {table}.date > %s THEN {FUTURE_WEIGHT} "
        f"WHEN {table}.date >= %s THEN {RECENT_BOOST} ELSE 1.0 END)"
    )
    return sql, [
        today.isoformat(),
        (today - datetime.timedelta(days=RECENT_DAYS)).isoformat(),
    ]


FACET_FIELDS = ("kind", "region", "collectivity_kind", "year")

# PostgreSQL's text score: `ts_rank_cd` of the rank vector (migration 0012:
# title A, lead B, the body's first terms C, theme names D), each occurrence
# counting its field's weight, as bm25 weighs SQLite's columns (title 10, lead
# 4, body 1; theme names a light signal), divided by the log of the vector's
# length (normalisation 1: a long article saying a word five times outranks a
# thin profile saying it once), then bounded as rank / (rank + 1)
# (normalisation 32: like bm25, saying one word of the query again and again
# counts less than saying each of them). Weights in PostgreSQL's order: {D, C,
# B, A}.
RANK_WEIGHTS = "{0.02, 0.1, 0.4, 1.0}"
RANK_NORMALIZATION = 1 | 32
# SQLite's bm25 column weights: title, lead, body.
SQLITE_WEIGHTS = "10.0, 4.0, 1.0"


def theme_slugs_text(slugs) -> str:
    """The `theme_slugs` column: " a b ", so that " a " is found in it whole."""
    slugs = sorted(set(slugs))
    return f" {' '.join(slugs)} " if slugs else ""


def _materialized() -> str:
    """Evaluate the full-text match once per statement. Left to itself, SQLite may
    inline it and run one MATCH per entry row (seconds at 20,000 documents)."""
    if connection.vendor == "sqlite":
        return (
            "MATERIALIZED "
            if connection.Database.sqlite_version_info >= (3, 35)
            else ""
        )
    return "MATERIALIZED "


def _postgres_phrase(phrase) -> tuple[str, list]:
    """PostgreSQL condition (and params): the phrase's terms next to each other,
    in order, in one field, as an FTS5 phrase.

    The GIN index of adjacent-term pairs finds the candidates. Two terms are one
    pair, exact; from three on, every pair may be present with the pairs apart
    ("feuille de route" … "route numérique"), so the whole phrase is then looked
    for in the candidates' terms (read only for those rows).
    """
    sql, params = "pair_vector @@ CAST(%s AS tsquery)", [pair_tsquery(phrase)]
    if len(phrase) < 3:
        return sql, params
    fields = " OR ".join(
        f"strpos(' ' || coalesce({column}, '') || ' ', %s) > 0"
        for column in ("title_terms", "lead_terms", "body_terms")
    )
    return f"({sql} AND ({fields}))", [*params, *[f" {' '.join(phrase)} "] * 3]


def _postgres_score(query: ParsedQuery) -> tuple[str, list]:
    """PostgreSQL's text score (and params) of a row of `search_searchentry`.

    Matched through the GIN indexes of the full vector and of the adjacent-term
    pairs (never read themselves), ranked on the bounded rank vector
    (RANK_WEIGHTS). Each clause scores once, by its best alternative (the words
    typed or one synonym), so a page is not ranked up for holding several
    synonyms; summed over the clauses it matches.
    """
    ranks, params = [], []
    for clause in query.clauses:
        each = [
            f"ts_rank_cd('{RANK_WEIGHTS}', rank_vector, "
            f"to_tsquery('simple', %s), {RANK_NORMALIZATION})"
        ] * len(clause)
        params += [tsquery([[alternative]]) for alternative in clause]
        ranks.append(f"GREATEST({', '.join(each)})" if len(each) > 1 else each[0])
    return " + ".join(ranks), params


# PostgreSQL, no filter: the count (the empty grouping set) and every facet of
# `f` in one pass, as the separate counts of `DatabaseBackend.search` give them
# (an empty value, a year of 0, counts for nothing). (name, column, value
# shown, counted when.)
_FACET_GROUPS = [
    ("kind", "f.kind", "f.kind", "f.kind <> ''"),
    ("region", "f.region", "f.region", "f.region <> ''"),
    (
        "collectivity_kind",
        "f.collectivity_kind",
        "f.collectivity_kind",
        "f.collectivity_kind <> ''",
    ),
    ("year", "f.year", "CAST(f.year AS TEXT)", "f.year IS NOT NULL AND f.year <> 0"),
    ("themes", "f.theme_slugs", "f.theme_slugs", "f.theme_slugs <> ''"),
]
_GROUPING_SETS_SQL = (
    "SELECT CASE "
    + " ".join(f"WHEN GROUPING({c}) = 0 THEN '{n}'" for n, c, _v, _p in _FACET_GROUPS)
    + " ELSE '' END, CASE "
    + " ".join(f"WHEN GROUPING({c}) = 0 THEN {v}" for _n, c, v, _p in _FACET_GROUPS)
    + " ELSE '' END, COUNT(*) FROM f GROUP BY GROUPING SETS ("
    + ", ".join(f"({c})" for _n, c, _v, _p in _FACET_GROUPS)
    + ", ()) HAVING "
    + " OR ".join(f"(GROUPING({c}) = 0 AND {p})" for _n, c, _v, p in _FACET_GROUPS)
    + f" OR GROUPING({', '.join(c for _n, c, _v, _p in _FACET_GROUPS)}) = "
    + str(2 ** len(_FACET_GROUPS) - 1)
)


class DatabaseBackend:
    name = "database"

    # --- Writing -------------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        with transaction.atomic():
            search_cache.index_changed()  # Commits with the write.
            old = {
                entry.key: entry
                for entry in SearchEntry.objects.filter(
                    key__in=[d.key for d in documents]
                ).only(*VOCABULARY_FIELDS)
            }
            for document in documents:
                SearchEntry.objects.update_or_create(
                    key=document.key, defaults=self._row(document)
                )
                before = old.get(document.key)
                vocabulary.changed(
                    before and (before.visibility, vocabulary.entry_words(before)),
                    (document.visibility, vocabulary.entry_words(document)),
                )

    def remove(self, keys: list[str]) -> None:
        with transaction.atomic():
            search_cache.index_changed()  # Commits with the write.
            entries = SearchEntry.objects.filter(key__in=list(keys))
            for entry in entries.only(*VOCABULARY_FIELDS):
                vocabulary.changed(
                    (entry.visibility, vocabulary.entry_words(entry)), None
                )
            entries.delete()

    def rebuild(self, documents) -> int:
        count = 0
        with transaction.atomic():
            search_cache.index_changed()  # Commits with the write.
            SearchEntry.objects.all().delete()
            batch, words = [], []
            for document in documents:
                batch.append(document)
                words.append((document.visibility, vocabulary.entry_words(document)))
                if len(batch) >= 500:
                    count += self._bulk(batch)
                    batch = []
            if batch:
                count += self._bulk(batch)
            vocabulary.rebuild(words)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner misjudges how many rows match.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchentry")
        return count

    def _bulk(self, documents) -> int:
        entries = SearchEntry.objects.bulk_create(
            SearchEntry(key=d.key, **self._row(d)) for d in documents
        )
        return len(entries)

    @staticmethod
    def _row(document: SearchDocument) -> dict:
        return {
            "page_id": document.page_id,
            "kind": document.kind,
            "title": document.title,
            "lead": document.lead,
            "body": document.body,
            "url": document.url,
            "date": document.date,
            "year": document.year,
            "region": document.region,
            "collectivity_kind": document.collectivity_kind,
            "visibility": document.visibility,
            "theme_names": "\n".join(document.theme_names),
            "theme_slugs": theme_slugs_text(document.themes),
            "title_terms": terms_text(document.title),
            "lead_terms": terms_text(document.lead),
            # Theme names count as body text: "inclusion" finds pages of the
            # "Inclusion numérique" theme.
            "body_terms": terms_text(
                document.body + "\n" + " ".join(document.theme_names)
            ),
            "theme_terms": terms_text(" ".join(document.theme_names)),
            "suggest_text": " ".join(fold(s) for s in document.suggestions),
        }

    # --- Reading -------------------------------------------------------------------

    def _matched_sql(self, query: ParsedQuery, *, scored: bool = True):
        """SQL selecting (id, score, phrase, hits) of the matching entries, and
        params; `hits` is the number of clauses an entry matches (all of them
        unless the query is relaxed). Not `scored`: a score of 0 for all, the
        text ranked afterwards for the page's candidates only
        (`_deferred_score_sql`)."""
        if query.names:
            return self._names_sql(query)
        if connection.vendor == "postgresql":
            # Matched through the GIN indexes of the full vector and of the
            # adjacent-term pairs (never read themselves), ranked by
            # `_postgres_score`; the whole phrase through the pairs too.
            score, params = _postgres_score(query) if scored else ("0", [])
            phrase = "FALSE"
            if query.phrase:
                whole, whole_params = _postgres_phrase(query.phrase)
                phrase = f"id IN (SELECT id FROM search_searchentry WHERE {whole})"
                params += whole_params
            if query.minimum is None:
                match, match_params = self._postgres_match(query.clauses)
                hits, hits_params = str(len(query.clauses)), []
            else:
                # Relaxed: any clause; how many match counted by one index scan
                # per clause (a hashed subquery), never reading a vector.
                each = [self._postgres_match([clause]) for clause in query.clauses]
                match = " OR ".join(f"({sql})" for sql, _params in each)
                match_params = [p for _sql, params in each for p in params]
                hits = " + ".join(
                    "(CASE WHEN id IN (SELECT id FROM search_searchentry "
                    f"WHERE {sql}) THEN 1 ELSE 0 END)"
                    for sql, _params in each
                )
                hits_params = match_params
            sql = (
                f"SELECT id, {score} AS score, "
                f"{phrase} AS phrase, {hits} AS hits, date, kind, region, "
                "collectivity_kind, year, theme_slugs, visibility "
                f"FROM search_searchentry WHERE {match}"
            )
            return sql, [*params, *hits_params, *match_params]
        params = []
        phrase = "0"
        if query.phrase:
            phrase = "search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            params.append('"' + " ".join(query.phrase) + '"')
        if query.minimum is not None and not scored:
            # Relaxed, ranked afterwards: how many clauses each entry matches,
            # counted over the clauses' own matches (one scan of each, grouped),
            # and only the entries matching enough of them kept.
            each = " UNION ALL ".join(
                "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s"
                for _clause in query.clauses
            )
            sql = (
                f"SELECT id, 0 AS score, {phrase.replace('search_fts.rowid', 'id')} "
                f"AS phrase, hits FROM (SELECT id, COUNT(*) AS hits FROM ({each}) "
                "GROUP BY id HAVING COUNT(*) >= %s)"
            )
            return sql, [
                *params,
                *(fts5_match([clause]) for clause in query.clauses),
                max(1, query.minimum),
            ]
        if query.minimum is None:
            hits = str(len(query.clauses))
            match = fts5_match(query.clauses)
        else:
            each = [fts5_match([clause]) for clause in query.clauses]
            hits = " + ".join(
                "(search_fts.rowid IN (SELECT rowid FROM search_fts "
                "WHERE search_fts MATCH %s))"
                for _clause in each
            )
            params += each
            match = " OR ".join(each)
        score = f"-bm25(search_fts, {SQLITE_WEIGHTS})" if scored else "0"
        sql = (
            f"SELECT search_fts.rowid AS id, {score} AS score, "
            f"{phrase} AS phrase, {hits} AS hits FROM search_fts "
            "WHERE search_fts MATCH %s"
        )
        params.append(match)
        return sql, params

    @staticmethod
    def _sqlite_match(query: ParsedQuery) -> tuple[str, list]:
        """SQLite: the `phrase` and `hits` columns of an entry matching every
        clause, then the match itself, and their params (in that order)."""
        phrase, params = "0", []
        if query.phrase:
            phrase = (
                "search_fts.rowid IN (SELECT rowid FROM search_fts "
                "WHERE search_fts MATCH %s)"
            )
            params.append('"' + " ".join(query.phrase) + '"')
        sql = f"{phrase} AS phrase, {len(query.clauses)} AS hits"
        return sql, [*params, fts5_match(query.clauses)]

    @staticmethod
    def _names_sql(query: ParsedQuery):
        """A query of stop words only ("Le Du"): the words, in order and whole,
        in a title (the folded titles of `suggest_text`) or a lead (any case).
        Rare, and without an index: a scan of those two short columns."""
        pattern = "(^|[^a-z0-9])" + " ".join(query.names) + "($|[^a-z0-9])"
        if connection.vendor == "postgresql":
            return (
                "SELECT id, 1.0 AS score, TRUE AS phrase, 1 AS hits, date, kind, "
                "region, collectivity_kind, year, theme_slugs, visibility "
                "FROM search_searchentry WHERE suggest_text ~ %s OR lead ~* %s",
                [pattern, pattern],
            )
        return (
            "SELECT id, 1.0 AS score, 1 AS phrase, 1 AS hits "
            "FROM search_searchentry "
            "WHERE suggest_text REGEXP %s OR lead REGEXP %s",
            [pattern, "(?i)" + pattern],
        )

    @staticmethod
    def _postgres_match(clauses):
        """WHERE condition (and params) matching every clause on PostgreSQL.

        Clauses of single words go to the full vector in one tsquery; a clause
        with a phrase among its alternatives (quotes, "tiers-lieu", a synonym
        of several words) matches the phrase by its adjacent-term pairs (from
        three terms, checked whole: `_postgres_phrase`). No positional (`<->`)
        match: the GIN index cannot check positions, and PostgreSQL would read
        the full vector of every candidate to do it.
        """
        words, conditions, params = [], [], []
        for clause in clauses:
            if all(len(alternative) == 1 for alternative in clause):
                words.append(clause)
                continue
            alternatives = []
            singles = [alternative for alternative in clause if len(alternative) == 1]
            if singles:
                alternatives.append("search_vector @@ CAST(%s AS tsquery)")
                params.append(" | ".join(f"'{word}'" for (word,) in singles))
            for alternative in clause:
                if len(alternative) > 1:
                    whole, whole_params = _postgres_phrase(alternative)
                    alternatives.append(whole)
                    params += whole_params
            conditions.append("(" + " OR ".join(alternatives) + ")")
        if words:
            conditions.insert(0, "search_vector @@ to_tsquery('simple', %s)")
            params.insert(0, tsquery(words))
        return " AND ".join(conditions), params

    def _filtered_sql(self, query: ParsedQuery, *, visibilities, scored=True):
        """SQL of the common table expressions `m` (the match, ranked once) and
        `f` (its visible entries with what filters, facets and ordering need,
        the score weighed by kind and recency: `_weight_sql`); on SQLite, a
        query requiring every clause builds `f` alone, in the match's pass."""
        matched_sql, params = self._matched_sql(query, scored=scored)
        placeholders = ", ".join(["%s"] * len(visibilities))
        weight, weight_params = _weight_sql("{t}")
        minimum = max(1, query.minimum or 0)
        if connection.vendor == "postgresql":
            # The match already reads the row: no join. Visibility is checked
            # outside `m`, so that the full-text index is its only way in.
            return (
                f"WITH m AS {_materialized()}({matched_sql}), "
                f"f AS {_materialized()}(SELECT id, date, kind, region, "
                f"collectivity_kind, year, theme_slugs, score * {weight.format(t='m')} "
                "AS score, phrase, hits FROM m "
                f"WHERE visibility IN ({placeholders}) AND hits >= %s) ",
                [*params, *weight_params, *visibilities, minimum],
            )
        if query.minimum is None and not query.names:
            # Every clause required: the match, ranked, read with the facets'
            # columns in one pass (the full-text table the outer loop, as bm25
            # requires), not kept apart first.
            match_sql, match_params = self._sqlite_match(query)
            return (
                f"WITH f AS {_materialized()}(SELECT e.id, e.date, e.kind, e.region, "
                "e.collectivity_kind, e.year, e.theme_slugs, "
                f"-bm25(search_fts, {SQLITE_WEIGHTS}) * {weight.format(t='e')} "
                f"AS score, {match_sql} FROM search_fts "
                "CROSS JOIN search_searchentry e INDEXED BY search_entry_facets "
                "ON e.id = search_fts.rowid WHERE search_fts MATCH %s "
                f"AND e.visibility IN ({placeholders})) ",
                [*weight_params, *match_params, *visibilities],
            )
        return (
            f"WITH m AS {_materialized()}({matched_sql}), "
            f"f AS {_materialized()}(SELECT e.id, e.date, e.kind, e.region, "
            "e.collectivity_kind, e.year, e.theme_slugs, "
            f"m.score * {weight.format(t='e')} AS score, m.phrase, m.hits FROM m "
            # Read from the covering index of migration 0007, never from the
            # row, whose body comes before these columns.
            "JOIN search_searchentry e INDEXED BY search_entry_facets "
            "ON e.id = m.id "
            f"WHERE e.visibility IN ({placeholders}) AND m.hits >= %s) ",
            [*params, *weight_params, *visibilities, minimum],
        )

    @staticmethod
    def _deferred_score_sql(query: ParsedQuery, where: str) -> tuple[str, list]:
        """Common table expressions `t` (the phrase and clauses matched of the
        page's last entry, none when the matches end before it) and `s` (the
        text score of the filtered entries not below it in that order), and
        params after those of `f`: the filters' params, the page's last
        position (offset + limit - 1), the score's, the filters' again.

        The page then holds the same entries, in the same order, as if every
        match had been ranked: entries below `t` cannot enter it."""
        candidates = (
            f"SELECT f.id FROM f WHERE {where} AND NOT EXISTS (SELECT 1 FROM t "
            "WHERE f.phrase < t.phrase OR (f.phrase = t.phrase AND f.hits < t.hits))"
        )
        last = (
            # Materialised: computed once, not for each entry of `f`.
            f", t AS {_materialized()}(SELECT f.phrase, f.hits FROM f WHERE {where} "
            "ORDER BY f.phrase DESC, f.hits DESC LIMIT 1 OFFSET %s)"
        )
        if connection.vendor == "postgresql":
            score, params = _postgres_score(query)
            return (
                f"{last}, s AS {_materialized()}(SELECT id, {score} AS score "
                f"FROM search_searchentry WHERE id IN ({candidates})) ",
                params,
            )
        return (
            f"{last}, s AS {_materialized()}(SELECT search_fts.rowid AS id, "
            f"-bm25(search_fts, {SQLITE_WEIGHTS}) AS score FROM search_fts "
            # `+rowid`: one scan of the match, filtered, not one match per rowid.
            f"WHERE search_fts MATCH %s AND +search_fts.rowid IN ({candidates})) ",
            # The relaxed statement's match: bm25 scores by its phrases.
            [" OR ".join(fts5_match([clause]) for clause in query.clauses)],
        )

    @staticmethod
    def _conditions(filters: dict, exclude: str | None = None):
        """WHERE conditions on `f` for the filters (one of them left out)."""
        sql, params = ["1 = 1"], []
        for name, value in filters.items():
            if name == exclude:
                continue
            if name == "theme":
                position = "strpos" if connection.vendor == "postgresql" else "instr"
                sql.append(f"{position}(f.theme_slugs, %s) > 0")
                params.append(theme_slugs_text([value]))
            elif name in FACET_FIELDS:
                sql.append(f"f.{name} = %s")
                params.append(value)
        return " AND ".join(sql), params

    def search(self, query: ParsedQuery, *, filters, visibilities, sort, offset, limit):
        """Ids of the matching entries in order, their total count, and facets
        (each counted with the other filters applied).

        One statement: the match and its ranking run once, then the requested
        page, the count and every facet are computed from its rows.
        """
        if query.is_empty:
            return SearchAnswer([], 0, {})
        wanted = {k: v for k, v in filters.items() if v not in (None, "")}
        if "year" in wanted:
            try:
                wanted["year"] = int(wanted["year"])
            except (TypeError, ValueError):
                return SearchAnswer([], 0, {})
        if sort == "date":
            order = "{t}.date IS NULL, {t}.date DESC, {t}.score DESC, {t}.id"
        else:
            order = (
                "{t}.phrase DESC, {t}.hits DESC, {t}.score DESC, "
                "{t}.date IS NULL, {t}.date DESC, {t}.id"
            )
        # A relaxed query ranked by relevance orders by the clauses matched
        # before the text score: only the entries as high in that order as the
        # page's last one need a score (a quarter to a half of the matches of a
        # long question); the others are counted, never ranked.
        deferred = query.minimum is not None and sort != "date" and not query.names
        cte, params = self._filtered_sql(
            query, visibilities=visibilities, scored=not deferred
        )
        where, where_params = self._conditions(wanted)
        ranked = f"SELECT f.id, f.phrase, f.hits, f.score, f.date FROM f WHERE {where}"
        ranked_params = where_params
        if deferred:
            scores, scores_params = self._deferred_score_sql(query, where)
            cte += scores
            params += [*where_params, offset + limit - 1, *scores_params, *where_params]
            weight, weight_params = _weight_sql("f")
            ranked = (
                "SELECT * FROM (SELECT f.id, f.phrase, f.hits, "
                f"s.score * {weight} AS score, f.date FROM f "
                f"JOIN s ON s.id = f.id WHERE {where}) f"
            )
            ranked_params = [*weight_params, *where_params]
        parts = [
            # The requested page with LIMIT (a top-N sort, not a sort of every
            # match), then numbered: the order of a UNION is not kept.
            "SELECT 'page', CAST(p.id AS TEXT), "
            f"%s + ROW_NUMBER() OVER (ORDER BY {order.format(t='p')}) FROM "
            f"({ranked} ORDER BY {order.format(t='f')} LIMIT %s OFFSET %s) p",
        ]
        params += [offset, *ranked_params, limit, offset]
        if not wanted and connection.vendor == "postgresql":
            # No filter: the count and every facet in one pass over the
            # matches (grouping sets), not one pass each.
            parts.append(_GROUPING_SETS_SQL)
            rows = self._fetch(cte + " UNION ALL ".join(parts), params)
            return self._answer(rows)
        parts.append(f"SELECT '', '', COUNT(*) FROM f WHERE {where}")
        params += where_params
        for name in FACET_FIELDS:
            where, where_params = self._conditions(wanted, exclude=name)
            present = (
                "f.year IS NOT NULL AND f.year <> 0"
                if name == "year"
                else f"f.{name} <> ''"
            )
            parts.append(
                f"SELECT '{name}', CAST(f.{name} AS TEXT), COUNT(*) FROM f "
                f"WHERE {where} AND {present} GROUP BY f.{name}"
            )
            params += where_params
        where, where_params = self._conditions(wanted, exclude="theme")
        # Counted by combination of themes (a few hundred at most), each
        # combination then counted for each of its themes below: no join.
        parts.append(
            "SELECT 'themes', f.theme_slugs, COUNT(*) FROM f "
            f"WHERE {where} AND f.theme_slugs <> '' GROUP BY f.theme_slugs"
        )
        params += where_params
        rows = self._fetch(cte + " UNION ALL ".join(parts), params)
        return self._answer(rows)

    @staticmethod
    def _answer(rows) -> SearchAnswer:
        """The answer of the statement's rows: ('page', id, position), ('',
        '', count), (facet, value, count) and ('themes', combination, count)."""
        page, count = [], 0
        facets = {name: [] for name in (*FACET_FIELDS, "theme")}
        themes = Counter()
        for name, value, number in rows:
            if name == "page":
                page.append((number, int(value)))
            elif name == "themes":
                themes.update(dict.fromkeys(value.split(), number))
            elif name:
                facets[name].append((str(value), number))
            else:
                count = number
        facets["theme"] = list(themes.items())
        for values in facets.values():
            values.sort(key=lambda item: (-item[1], item[0]))
        return SearchAnswer(
            [entry_id for _position, entry_id in sorted(page)], count, facets
        )

    @staticmethod
    def _fetch(sql: str, params: list) -> list:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        # PostgreSQL prices a sequential scan of a broad query as cheap, not
        # counting that every row's full vector must then be decompressed
        # (hundreds of milliseconds at 20,000 documents); through the GIN
        # index no vector is read. For this statement only.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        return rows

    def suggest(self, text: str, *, visibilities, limit: int = 8) -> list[SearchEntry]:
        prefix = fold(text).strip()
        if len(prefix) < 2:
            return []
        entries = SearchEntry.objects.filter(visibility__in=visibilities).filter(
            suggest_text__startswith=prefix
        ) | SearchEntry.objects.filter(visibility__in=visibilities).filter(
            suggest_text__contains=f" {prefix}"
        )
        return list(entries.order_by("-date", "title")[:limit])
