"""Load the French administrative referential shipped in `territories/data/`.

Regions, departments, EPCI (and Grand Paris EPT) and communes, with their INSEE
codes, SIREN, populations and EPCI membership. Safe to run again: rows are updated
in place, and those gone from the referential are only marked as no longer current.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retex import page_cache
from territories.extract import DEFAULT_PATH, ExtractError, read_extract
from territories.loading import load_extract
from territories.signals import referential_changed

LABELS = {
    "region": "Regions",
    "department": "Departments",
    "epci": "EPCI/EPT",
    "commune": "Communes",
}


class Command(BaseCommand):
    help = (
        "Load (or refresh) the regions, departments, EPCI and communes from the "
        "shipped extract of @etalab/decoupage-administratif."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_PATH,
            help=f"Extract to load (default: {DEFAULT_PATH}).",
        )

    def handle(self, *args, file, **options):
        started = time.monotonic()
        try:
            extract = read_extract(file)
        except ExtractError as error:
            raise CommandError(str(error)) from error
        report = load_extract(extract)
        # Written in bulk, without signals: pages showing territories (a
        # commune's intercommunalité) must not be served from an older copy.
        page_cache.invalidate()
        if any(c.created or c.updated or c.retired for c in report.values()):
            # Search entries carry places (department names, postcodes…).
            referential_changed.send(sender=self.__class__)
        source = extract.source
        self.stdout.write(
            f"Source: {source.get('package', '?')} {source.get('version', '?')}"
        )
        for table, label in LABELS.items():
            counts = report[table]
            self.stdout.write(
                f"{label}: {counts.current} current "
                f"({counts.created} new, {counts.updated} updated, "
                f"{counts.retired} no longer current)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Territories loaded in {time.monotonic() - started:.1f} s."
            )
        )
