"""The embedded search backend: the documents in the database.

SQLite matches with FTS5 and ranks with bm25 (title 10, lead 4, body 1);
PostgreSQL matches a weighted tsvector and ranks with ts_rank. Both match the
terms of `search.analysis`, so they answer alike. The match runs once, in a
common table expression, with the filters and the ordering in the same
statement: no per-row ranking subquery.

The SQL is assembled from constant fragments and a fixed list of column names;
every value (query terms, filters, visibilities) is passed as a parameter.
"""

# ruff: noqa: S608  (see above: no value is ever formatted into the SQL)

from collections import Counter, defaultdict
from typing import NamedTuple

from django.db import connection, transaction

from search.analysis import fold, terms_text
from search.documents import SearchDocument
from search.models import SearchEntry, SearchEntryTheme
from search.query import ParsedQuery, fts5_match, tsquery

FACET_FIELDS = ("kind", "region", "collectivity_kind", "year")


class _Row(NamedTuple):
    id: int
    score: float
    phrase: bool
    date: object
    kind: str
    region: str
    collectivity_kind: str
    year: int | None


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


class DatabaseBackend:
    name = "database"

    # --- Writing -------------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        with transaction.atomic():
            for document in documents:
                entry, _created = SearchEntry.objects.update_or_create(
                    key=document.key, defaults=self._row(document)
                )
                SearchEntryTheme.objects.filter(entry=entry).delete()
                SearchEntryTheme.objects.bulk_create(
                    SearchEntryTheme(entry=entry, slug=slug) for slug in document.themes
                )

    def remove(self, keys: list[str]) -> None:
        SearchEntry.objects.filter(key__in=list(keys)).delete()

    def rebuild(self, documents) -> int:
        count = 0
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) >= 500:
                    count += self._bulk(batch)
                    batch = []
            if batch:
                count += self._bulk(batch)
        return count

    def _bulk(self, documents) -> int:
        entries = SearchEntry.objects.bulk_create(
            SearchEntry(key=d.key, **self._row(d)) for d in documents
        )
        if connection.vendor == "sqlite" and entries and entries[0].pk is None:
            by_key = dict(
                SearchEntry.objects.filter(
                    key__in=[d.key for d in documents]
                ).values_list("key", "pk")
            )
            for entry in entries:
                entry.pk = by_key[entry.key]
        themes = [
            SearchEntryTheme(entry_id=entry.pk, slug=slug)
            for entry, document in zip(entries, documents, strict=True)
            for slug in document.themes
        ]
        SearchEntryTheme.objects.bulk_create(themes)
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
            "title_terms": terms_text(document.title),
            "lead_terms": terms_text(document.lead),
            # Theme names count as body text: "inclusion" finds pages of the
            # "Inclusion numérique" theme.
            "body_terms": terms_text(
                document.body + "\n" + " ".join(document.theme_names)
            ),
            "suggest_text": " ".join(fold(s) for s in document.suggestions),
        }

    # --- Reading -------------------------------------------------------------------

    def _matched_sql(self, query: ParsedQuery):
        """SQL selecting (id, score, phrase) of the matching entries, and params."""
        if connection.vendor == "postgresql":
            match = tsquery(query.clauses)
            params = [match]
            phrase = "FALSE"
            if query.phrase:
                phrase = "search_vector @@ to_tsquery('simple', %s)"
                params.append(" <-> ".join(query.phrase))
            params.append(match)
            sql = (
                "SELECT id, ts_rank(search_vector, to_tsquery('simple', %s)) AS score, "
                f"{phrase} AS phrase FROM search_searchentry "
                "WHERE search_vector @@ to_tsquery('simple', %s)"
            )
            return sql, params
        params = []
        phrase = "0"
        if query.phrase:
            phrase = "search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            params.append('"' + " ".join(query.phrase) + '"')
        sql = (
            f"SELECT search_fts.rowid AS id, -bm25(search_fts, 10.0, 4.0, 1.0) AS score, "
            f"{phrase} AS phrase FROM search_fts WHERE search_fts MATCH %s"
        )
        params.append(fts5_match(query.clauses))
        return sql, params

    def search(self, query: ParsedQuery, *, filters, visibilities, sort, offset, limit):
        """Ids of the matching entries in order, their total count, and facets.

        The full-text match runs once; filters, facets (each counted with the
        other filters applied) and ordering are done on its rows in Python, which
        costs less than asking the database to match again for every facet.
        """
        if query.is_empty:
            return [], 0, {}
        matched_sql, params = self._matched_sql(query)
        placeholders = ", ".join(["%s"] * len(visibilities))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS {_materialized()}({matched_sql}) "
                "SELECT e.id, m.score, m.phrase, e.date, e.kind, e.region, "
                "e.collectivity_kind, e.year FROM m "
                "JOIN search_searchentry e ON e.id = m.id "
                f"WHERE e.visibility IN ({placeholders})",
                [*params, *visibilities],
            )
            rows = [_Row(*row) for row in cursor.fetchall()]
            themes = defaultdict(set)
            if rows:
                cursor.execute(
                    f"WITH m AS {_materialized()}({matched_sql}) "
                    "SELECT t.entry_id, t.slug FROM m "
                    "JOIN search_searchentrytheme t ON t.entry_id = m.id",
                    params,
                )
                for entry_id, slug in cursor.fetchall():
                    themes[entry_id].add(slug)

        wanted = {k: v for k, v in filters.items() if v not in (None, "")}

        def passes(row, exclude=None) -> bool:
            for name, value in wanted.items():
                if name == exclude:
                    continue
                if name == "theme":
                    if value not in themes[row.id]:
                        return False
                elif name == "year":
                    if row.year != int(value):
                        return False
                elif getattr(row, name, None) != value:
                    return False
            return True

        matched = [row for row in rows if passes(row)]
        if sort == "date":
            matched.sort(
                key=lambda r: (
                    r.date is None,
                    -(r.date.toordinal() if r.date else 0),
                    -r.score,
                )
            )
        else:
            matched.sort(
                key=lambda r: (
                    not r.phrase,
                    -r.score,
                    r.date is None,
                    -(r.date.toordinal() if r.date else 0),
                )
            )
        facets = {}
        for name in FACET_FIELDS:
            counts = Counter(
                getattr(row, name)
                for row in rows
                if getattr(row, name) not in (None, "", 0) and passes(row, exclude=name)
            )
            facets[name] = [
                (str(value), count) for value, count in counts.most_common()
            ]
        theme_counts = Counter(
            slug
            for row in rows
            if passes(row, exclude="theme")
            for slug in themes[row.id]
        )
        facets["theme"] = theme_counts.most_common()
        page = matched[offset : offset + limit]
        return [row.id for row in page], len(matched), facets

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
