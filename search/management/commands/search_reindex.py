"""`python manage.py search_reindex`: rebuild the search index from the pages."""

import time

from django.core.management.base import BaseCommand

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
            count = engine.rebuild(documents)
            self.stdout.write(f"{engine.name}: {count} documents indexed")
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt in {time.monotonic() - started:.1f} s."
            )
        )
