"""`manage.py choose_aid_candidates`: choose again who already did what each
question asks (`aid.solicitations.choose_candidates`), after a bulk import or to
take into account the resources published since the questions were asked."""

import time

from django.core.management.base import BaseCommand

from aid.models import Question, QuestionStatus
from aid.solicitations import choose_candidates


class Command(BaseCommand):
    help = (
        "Choisit à nouveau les collectivités à solliciter de chaque question "
        "(«\u00a0collectivités qui l'ont déjà fait\u00a0»)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Seulement les questions dont le choix n'est pas encore fait.",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Aussi les questions closes ou masquées.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        questions = Question.objects.all()
        if options["missing"]:
            questions = questions.filter(candidates_chosen_at__isnull=True)
        if not options["all"]:
            questions = questions.filter(hidden=False).exclude(
                status=QuestionStatus.CLOSED
            )
        ids = list(questions.order_by("pk").values_list("pk", flat=True))
        rows = sum(choose_candidates(question_id) for question_id in ids)
        self.stdout.write(
            f"Candidates chosen for {len(ids)} questions ({rows} rows) "
            f"in {time.monotonic() - started:.1f} s."
        )
