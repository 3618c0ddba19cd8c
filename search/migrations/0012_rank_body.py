"""PostgreSQL: body matches count in the ranking.

The rank vector of migration 0004 held the title (A) and the lead (B) only, so
a page matching a query in its body alone scored 0. It now also holds the
first `RANK_BODY_TERMS` terms of the body (C) and the names of the page's
themes (D, a light signal: `theme_terms`, new here), small enough to stay in
the row, so ranking a broad query reads no full vector. It is generated
from the analysed columns already stored: an index built before this migration
ranks by its body at once (this migration fills `theme_terms` from the stored
theme names); run `search_reindex` afterwards all the same, so that every
row holds its vector in the row (RANK_IN_ROW) and broad queries stay fast.
SQLite ranks with FTS5's bm25 on the whole body and only gains the column.
"""

from django.db import migrations, models

# How many of a body's terms the rank vector holds: the opening paragraphs of
# a long article, where its subject is said, and the whole of most short
# pages. About 1.4 kB with the title and lead: kept in the row (storage MAIN
# below), so ranking reads no TOAST (300 terms, 2.7 kB, went to TOAST and
# ranking « numérique » read 115,000 buffers instead of 7,000).
RANK_BODY_TERMS = 100

OLD_RANK = """
    ALTER TABLE search_searchentry ADD COLUMN rank_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_terms, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(lead_terms, '')), 'B')
    ) STORED
"""
# The body's terms without the theme names `_row` appends to them (they are
# weighed apart, as D), cut to the first RANK_BODY_TERMS terms. The text is cut
# first (terms are short), so a long body is never split whole.
RANK_BODY = f"""
    CREATE FUNCTION search_rank_body(body text, themes text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_to_string((string_to_array(left(
            CASE
                WHEN themes = '' THEN body
                WHEN body = themes THEN ''
                WHEN right(body, length(themes) + 1) = ' ' || themes
                    THEN left(body, length(body) - length(themes) - 1)
                ELSE body
            END, {RANK_BODY_TERMS * 24}), ' '))[1:{RANK_BODY_TERMS}], ' ')
    $$
"""
NEW_RANK = """
    ALTER TABLE search_searchentry ADD COLUMN rank_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_terms, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(lead_terms, '')), 'B') ||
        setweight(to_tsvector('simple', search_rank_body(
            coalesce(body_terms, ''), coalesce(theme_terms, ''))), 'C') ||
        setweight(to_tsvector('simple', coalesce(theme_terms, '')), 'D')
    ) STORED
"""
# Compressed in the row, moved to TOAST only as a last resort. Rows written
# before (by the ADD COLUMN above) keep their place until `search_reindex`
# (or `VACUUM FULL search_searchentry`) rewrites them: they answer alike,
# only slower to rank.
RANK_IN_ROW = "ALTER TABLE search_searchentry ALTER COLUMN rank_vector SET STORAGE MAIN"
DROP_RANK = "ALTER TABLE search_searchentry DROP COLUMN rank_vector"
DROP_RANK_BODY = "DROP FUNCTION IF EXISTS search_rank_body(text, text)"


def add_column(apps, schema_editor):
    schema_editor.execute(
        "ALTER TABLE search_searchentry ADD COLUMN theme_terms text NOT NULL DEFAULT ''"
    )


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN theme_terms")


def fill_theme_terms(apps, schema_editor):
    """Only PostgreSQL reads `theme_terms` (SQLite's full-text triggers would
    rewrite every entry's body for a column it never reads)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from search.analysis import terms_text

    SearchEntry = apps.get_model("search", "SearchEntry")
    batch = []
    entries = SearchEntry.objects.exclude(theme_names="").only("id", "theme_names")
    for entry in entries.iterator(chunk_size=1000):
        # As the backend writes it: the names joined by spaces.
        entry.theme_terms = terms_text(" ".join(entry.theme_names.split("\n")))
        batch.append(entry)
        if len(batch) >= 1000:
            SearchEntry.objects.bulk_update(batch, ["theme_terms"])
            batch = []
    if batch:
        SearchEntry.objects.bulk_update(batch, ["theme_terms"])


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_fill_vocabulary"),
    ]

    operations = [
        # The old vector dropped first, so that filling `theme_terms` does not
        # compute it for nothing.
        migrations.RunPython(
            _run([DROP_RANK, RANK_BODY]), _run([DROP_RANK_BODY, OLD_RANK])
        ),
        # Plain SQL: Django would rebuild the table on SQLite to add a NOT
        # NULL column, dropping the triggers of the FTS5 index (as in 0006).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="theme_terms",
                    field=models.TextField(blank=True),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.RunPython(fill_theme_terms, migrations.RunPython.noop),
        migrations.RunPython(_run([NEW_RANK, RANK_IN_ROW]), _run([DROP_RANK])),
    ]
