"""`python manage.py prepare_renditions`: make ahead the renditions of every image
the site shows (page illustrations, event visuals, portraits, logos, body images),
in every width and format their pages ask for (`retex/images.py`), so no visitor
waits for them. Existing renditions are kept; safe to run again (after
`seed_demo`, after a deploy)."""

import time

from django.core.management.base import BaseCommand

from retex.images import prepare_renditions


class Command(BaseCommand):
    help = (
        "Make ahead the renditions (widths and formats) of every image the site "
        "shows. Safe to run again."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = prepare_renditions()
        self.stdout.write(
            f"Renditions ready for {count} images ({time.monotonic() - started:.1f} s)."
        )
