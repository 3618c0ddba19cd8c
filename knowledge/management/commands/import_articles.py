"""`python manage.py import_articles FILE... [--kind …] [--theme SLUG]... [--publish]`.

Imports plain text, Markdown or HTML files as knowledge pages under /ressources/
(see `knowledge/importing.py`). Prints "<id> <url>" for each page on stdout and
one line per refused file on stderr; exits with status 1 if any file was refused,
after importing the others.
"""

import logging
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge.importing import (
    KIND_MODELS,
    ImportRefused,
    import_files,
    resolve_themes,
)
from knowledge.models import KnowledgeIndexPage


class Command(BaseCommand):
    help = (
        "Importe des fichiers texte (.txt), Markdown (.md) ou HTML (.html) comme "
        "ressources sous /ressources/ : titre tiré du premier intertitre ou de la "
        "première ligne, restes de l'ancien site (menus, bandeaux cookies, boutons "
        "de partage…) retirés. Réimporter un fichier met à jour sa page. Les pages "
        "restent en brouillon sans --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--kind",
            choices=list(KIND_MODELS),
            default="article",
            help="Type de ressource créée (par défaut : article).",
        )
        parser.add_argument(
            "--theme",
            action="append",
            default=[],
            dest="themes",
            metavar="SLUG",
            help="Thème à donner aux pages ; répétable.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publier les pages (sinon : brouillons à relire).",
        )

    def handle(self, *args, files, kind, themes, publish, **options):
        index_page = KnowledgeIndexPage.objects.first()
        if index_page is None:
            raise CommandError(
                "Aucun index des ressources (/ressources/) où importer : "
                "créez-le dans l'administration ou lancez `manage.py seed_demo`."
            )
        try:
            theme_objects = resolve_themes(themes)
        except ValueError as error:
            raise CommandError(str(error)) from None

        refused = 0
        with _quiet_logger("wagtail", unless=options["verbosity"] >= 2):
            for _path, outcome in import_files(
                files,
                index_page=index_page,
                kind=kind,
                themes=theme_objects,
                publish=publish,
            ):
                if isinstance(outcome, ImportRefused):
                    refused += 1
                    self.stderr.write(str(outcome))
                else:
                    self.stdout.write(f"{outcome.page.id} {outcome.url}")
        if refused:
            raise CommandError(
                f"{refused} fichier(s) refusé(s) sur {len(files)}, "
                f"{len(files) - refused} importé(s)."
            )


@contextmanager
def _quiet_logger(name: str, *, unless: bool):
    """Keep the output to one line per file: Wagtail's "Page created" and "Page
    edited" log lines show only with `-v 2`."""
    logger = logging.getLogger(name)
    level = logger.level
    if not unless:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
