from django.core.management.base import BaseCommand

from following.digest import send_digests


class Command(BaseCommand):
    help = (
        "Envoie les résumés dus (quotidiens, hebdomadaires) de ce que chacun suit. "
        "Sans risque toutes les heures : chaque résumé part une seule fois."
    )

    def handle(self, *args, **options):
        claimed = send_digests()
        self.stdout.write(f"{claimed} résumé(s) à envoyer, confiés aux tâches.")
