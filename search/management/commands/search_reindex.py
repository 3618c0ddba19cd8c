"""`python manage.py search_reindex`: rebuild the search index from the pages.

The database index first, then Elasticsearch when `ELASTICSEARCH_URL` is set (a
new index, then the alias switched to it: searches go on meanwhile). Synonym
changes rebuild the Elasticsearch index by themselves (a background task); run
it after Elasticsearch was down, to catch up the changes it missed.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search.documents import all_documents
from search.service import backend, database_backend


class Command(BaseCommand):
    help = "Rebuild the search index (database, and Elasticsearch when configured)."

    def handle(self, *args, **options):
        started = time.monotonic()
        documents = list(all_documents())
        engines = {
            type(database_backend()): database_backend(),
            type(backend()): backend(),
        }
        for engine in engines.values():
            try:
                count = engine.rebuild(documents)
            except Exception as error:
                if engine.name == "database":
                    raise
                raise CommandError(
                    f"{engine.name}: rebuild failed ({error!r}); the database "
                    "index is up to date and answers searches meanwhile."
                ) from error
            self.stdout.write(f"{engine.name}: {count} documents indexed")
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt in {time.monotonic() - started:.1f} s."
            )
        )
