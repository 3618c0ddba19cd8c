"""`manage.py rebuild_related_pages`: choose every knowledge page's related
content again (`knowledge.related`), after a bulk import or to repair."""

import time

from django.core.management.base import BaseCommand

from knowledge.related import rebuild


class Command(BaseCommand):
    help = "Choisit à nouveau les contenus liés de chaque ressource."

    def handle(self, *args, **options):
        started = time.monotonic()
        pages = rebuild()
        self.stdout.write(
            f"Related content chosen for {pages} live pages "
            f"in {time.monotonic() - started:.1f} s."
        )
