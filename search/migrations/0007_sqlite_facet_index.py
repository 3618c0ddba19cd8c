"""SQLite: a covering index of what the search reads from each matching entry.

On SQLite a row holds every column inline, in order: the date, kind, region,
visibility and themes of an entry come after its body, so reading them walked
the body's overflow pages, for each of the 23,000 entries a broad query
matches (about 70 ms of its 110). The index holds them (and is searched by
`id`, as the join from the full-text match does), so the table is not read.
PostgreSQL reads them from the row it matched (the body is stored apart, in
TOAST): nothing to do there.

The columns must stay those `DatabaseBackend._filtered_sql` reads.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX search_entry_facets ON search_searchentry "
    "(id, visibility, date, kind, region, collectivity_kind, year, theme_slugs)"
)
DROP = "DROP INDEX IF EXISTS search_entry_facets"


def _on_sqlite(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_theme_slugs"),
    ]

    operations = [
        migrations.RunPython(_on_sqlite(CREATE), _on_sqlite(DROP)),
    ]
