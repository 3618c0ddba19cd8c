"""`python manage.py retry_failed_emails [--enqueue]`: emails every attempt of
which failed (see `retex.tasks.deliver`), from any app, listed, or enqueued
again.

Only the abandoned ones (`EmailNotSent`): a failure followed by a scheduled retry
(`EmailRetryScheduled`) is not lost. With `--enqueue`, each is enqueued again with
its original arguments (attempts counted afresh) and its FAILED row is removed in
the same transaction, so running the command twice does not send twice.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from retex.tasks import ABANDONED_PATHS


class Command(BaseCommand):
    help = "List, or enqueue again (--enqueue), the emails whose every attempt failed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue them again."
        )

    def handle(self, *args, enqueue=False, **options):
        try:
            from django_tasks_db.models import DBTaskResult
        except ImportError as error:  # pragma: no cover - the app is installed
            raise CommandError("Needs the database task backend.") from error
        failed = DBTaskResult.objects.failed().filter(
            exception_class_path__in=ABANDONED_PATHS
        )
        count = 0
        for result in failed.order_by("enqueued_at"):
            kwargs = dict(result.args_kwargs["kwargs"])
            self.stdout.write(f"{result.task_path} {kwargs} ({result.finished_at})")
            if enqueue:
                kwargs.pop("attempt", None)
                with transaction.atomic():
                    result.task.enqueue(*result.args_kwargs["args"], **kwargs)
                    result.delete()
            count += 1
        verb = "remis en file d'envoi" if enqueue else "abandonné(s)"
        self.stdout.write(f"{count} courriel(s) {verb}.")
