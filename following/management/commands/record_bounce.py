from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from following.suppressions import SuppressionError, record_suppression


class Command(BaseCommand):
    help = (
        "Enregistre une adresse rejetée (bounce) ou une plainte : plus aucun "
        "courriel ne lui est envoyé (résumés, lettre, entraide, événements)."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", help="adresse(s) concernée(s)")
        parser.add_argument(
            "--plainte",
            action="store_true",
            help="une plainte (signalé comme indésirable) plutôt qu'un rejet",
        )
        parser.add_argument("--note", default="", help="d'où vient l'information")

    def handle(self, *args, emails, plainte, note, **options):
        for address in emails:
            try:
                created = record_suppression(address, complaint=plainte, note=note)
            except SuppressionError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                _("%(email)s : bloquée.") % {"email": address}
                if created
                else _("%(email)s : déjà bloquée.") % {"email": address}
            )
