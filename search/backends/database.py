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

from django.db import connection, transaction

from search.analysis import fold, terms_text
from search.documents import SearchDocument
from search.models import SearchEntry, SearchEntryTheme
from search.query import ParsedQuery, fts5_match, tsquery

FACET_FIELDS = ("kind", "region", "collectivity_kind", "year")


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

    @staticmethod
    def _filters_sql(filters: dict, visibilities, *, exclude: str | None = None):
        where = [f"e.visibility IN ({', '.join(['%s'] * len(visibilities))})"]
        params = list(visibilities)
        for name in ("kind", "region", "collectivity_kind", "year"):
            if name != exclude and filters.get(name) not in (None, ""):
                where.append(f"e.{name} = %s")
                params.append(filters[name])
        if exclude != "theme" and filters.get("theme"):
            where.append(
                "EXISTS (SELECT 1 FROM search_searchentrytheme t "
                "WHERE t.entry_id = e.id AND t.slug = %s)"
            )
            params.append(filters["theme"])
        return " AND ".join(where), params

    def search(self, query: ParsedQuery, *, filters, visibilities, sort, offset, limit):
        """Ids of the matching entries in order, their total count, and facets."""
        if query.is_empty:
            return [], 0, {}
        matched_sql, matched_params = self._matched_sql(query)
        where, where_params = self._filters_sql(filters, visibilities)
        order = (
            "e.date DESC NULLS LAST, m.score DESC"
            if sort == "date"
            else "m.phrase DESC, m.score DESC, e.date DESC NULLS LAST"
        )
        if connection.vendor == "sqlite":
            order = order.replace(" NULLS LAST", "")
            order = order.replace("e.date DESC", "e.date IS NULL, e.date DESC")
        base = (
            f"WITH m AS ({matched_sql}) "
            "FROM m JOIN search_searchentry e ON e.id = m.id "
            f"WHERE {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"{base.replace('FROM m', 'SELECT e.id FROM m', 1)} ORDER BY {order} "
                "LIMIT %s OFFSET %s",
                [*matched_params, *where_params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"{base.replace('FROM m', 'SELECT COUNT(*) FROM m', 1)}",
                [*matched_params, *where_params],
            )
            total = cursor.fetchone()[0]
            facets = self._facets(
                cursor, matched_sql, matched_params, filters, visibilities
            )
        return ids, total, facets

    def _facets(self, cursor, matched_sql, matched_params, filters, visibilities):
        facets = {}
        for name in FACET_FIELDS:
            where, params = self._filters_sql(filters, visibilities, exclude=name)
            cursor.execute(
                f"WITH m AS ({matched_sql}) SELECT e.{name}, COUNT(*) FROM m "
                f"JOIN search_searchentry e ON e.id = m.id WHERE {where} "
                f"AND e.{name} IS NOT NULL AND e.{name} != %s "
                f"GROUP BY e.{name} ORDER BY COUNT(*) DESC",
                [*matched_params, *params, "" if name != "year" else 0],
            )
            facets[name] = [(str(value), count) for value, count in cursor.fetchall()]
        where, params = self._filters_sql(filters, visibilities, exclude="theme")
        cursor.execute(
            f"WITH m AS ({matched_sql}) SELECT t.slug, COUNT(*) FROM m "
            "JOIN search_searchentry e ON e.id = m.id "
            "JOIN search_searchentrytheme t ON t.entry_id = e.id "
            f"WHERE {where} GROUP BY t.slug ORDER BY COUNT(*) DESC",
            [*matched_params, *params],
        )
        facets["theme"] = list(cursor.fetchall())
        return facets

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
