"""Rebuild `territories/data/territories.json.gz` from the npm package.

    cd /tmp && npm pack @etalab/decoupage-administratif && tar xzf etalab-*.tgz
    python manage.py build_territories_extract /tmp/package

Then update the version in `territories/data/README.md`, run `load_territories`
and the tests, and commit the extract.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.extract import (
    DEFAULT_PATH,
    ExtractError,
    build_extract,
    read_extract,
    write_extract,
)


class Command(BaseCommand):
    help = (
        "Build the compact territories extract from an unpacked "
        "@etalab/decoupage-administratif npm package."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "package_dir",
            type=Path,
            help="Folder holding the package's package.json and data/.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=DEFAULT_PATH,
            help=f"Where to write the extract (default: {DEFAULT_PATH}).",
        )

    def handle(self, *args, package_dir, output, **options):
        try:
            extract = build_extract(package_dir)
            size = write_extract(extract, output)
            read_extract(output)  # What the loader will accept.
        except ExtractError as error:
            raise CommandError(str(error)) from error
        source = extract["source"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {size / 1024:.0f} KiB from {source['package']} "
                f"{source['version']} — {len(extract['regions'])} regions, "
                f"{len(extract['departments'])} departments, "
                f"{len(extract['epci'])} EPCI/EPT, "
                f"{len(extract['communes'])} communes."
            )
        )
