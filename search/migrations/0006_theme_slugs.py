"""Themes in the search entry's row, not in a table of their own.

Counting the theme facet joined every matching entry to its themes: about 25
ms for a broad query on PostgreSQL at 20,000 documents, the largest part of
its cost. `theme_slugs` (" a b ") is filtered with a substring test and
counted by combination of themes, from the rows the match already reads.

The column is added with plain SQL: Django would rebuild the table on SQLite
to add a NOT NULL column, which drops the triggers that keep the FTS5 index
in step (migration 0002).
"""

from django.db import migrations, models

ADD_COLUMN = (
    "ALTER TABLE search_searchentry ADD COLUMN theme_slugs text NOT NULL DEFAULT ''"
)


def add_column(apps, schema_editor):
    schema_editor.execute(ADD_COLUMN)


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN theme_slugs")


def copy_themes(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchEntryTheme = apps.get_model("search", "SearchEntryTheme")
    slugs = {}
    for entry_id, slug in SearchEntryTheme.objects.values_list("entry_id", "slug"):
        slugs.setdefault(entry_id, set()).add(slug)
    entries = [
        SearchEntry(pk=entry_id, theme_slugs=f" {' '.join(sorted(values))} ")
        for entry_id, values in slugs.items()
    ]
    SearchEntry.objects.bulk_update(entries, ["theme_slugs"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_pair_vector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="theme_slugs",
                    field=models.TextField(blank=True),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.RunPython(copy_themes, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="SearchEntryTheme",
        ),
    ]
