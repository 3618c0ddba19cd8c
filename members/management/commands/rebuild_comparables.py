"""`manage.py rebuild_comparables`: choose every collectivity's comparable
collectivities again (`members.comparables`), after a bulk import or to
repair."""

import time

from django.core.management.base import BaseCommand

from members.comparables import rebuild


class Command(BaseCommand):
    help = "Choisit à nouveau les collectivités comparables de chaque collectivité."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild()
        self.stdout.write(
            f"Comparable collectivities chosen for {count} live collectivities "
            f"in {time.monotonic() - started:.1f} s."
        )
