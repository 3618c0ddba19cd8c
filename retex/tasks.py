"""Background work shared by every app, through Django's task framework.

A task runs only for committed work, and is never lost once the work commits:

- With the database backend (django-tasks-db, production), the task row is
  written at once, inside the caller's transaction: the change and its task
  commit together or not at all, and a worker cannot see the row before the
  commit. No window remains where a committed registration has no email task.
- With any other backend (the immediate backend of the test suite, or one that
  stores tasks elsewhere), enqueueing waits for the commit (`on_commit`): the
  task must not run for a change that may still be rolled back.

Emails sent by a task are sent at most once per task run, even when a worker dies
and another runs the task again (`send_once`, `retex.worker`).

Failed emails are retried, never lost silently (`deliver`, for every app's email
tasks: events, mutual aid, following, the letter). An email task that cannot
hand its message to the mail server logs an error and raises, so the task
backend records a FAILED result with the traceback (django-tasks-db keeps them,
visible in the Django admin under "Task results"). django-tasks has no retry of
its own, so the task schedules its next attempt itself (`retry_later`, when the
backend can run a task later) and fails with `EmailRetryScheduled`; after the
last attempt it fails with `EmailNotSent` and logs "abandoned". An operator
re-runs those once the mail server is back with:

    python manage.py retry_failed_emails            # lists them, sends nothing
    python manage.py retry_failed_emails --enqueue  # enqueues them again

(which enqueues each abandoned email again with its original arguments and
removes the FAILED row, so a second run does not send it twice).
"""

import contextlib
import contextvars
import datetime
import logging

from django.core.mail import EmailMessage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, router, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# (task result id, number of emails sent so far by this run) while the project's
# worker runs a task; None elsewhere (the immediate backend, the shell).
_current_task: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "retex_current_task", default=None
)


def stores_with_transaction(task_obj) -> bool:
    """Whether `task_obj`'s backend writes task rows to the database of the
    current transaction (django-tasks-db on the same database)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_obj.get_backend(), DatabaseBackend):
        return False
    return router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS


def enqueue_after_commit(task_obj, *args, **kwargs) -> None:
    """Make `task_obj` run with these arguments once the current transaction
    commits, never if it rolls back.

    With the database backend the task row is written now, in the transaction,
    so it commits with the change (a crash right after the commit loses
    nothing); otherwise the task is enqueued when the transaction commits (at
    once when there is none)."""
    if stores_with_transaction(task_obj):
        task_obj.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


class running_task:
    """Context manager set by the worker around a task run: emails it sends are
    recorded under the task result's id (`send_once`)."""

    def __init__(self, task_result_id):
        self.task_result_id = str(task_result_id)

    def __enter__(self):
        self._token = _current_task.set([self.task_result_id, 0])
        return self

    def __exit__(self, *exc_info):
        _current_task.reset(self._token)
        return False


# Tasks that schedule their own next attempt (emails, digest and letter
# batches): seconds before the 2nd, 3rd and 4th attempts; the 4th failure is final.
RETRY_DELAYS = (5 * 60, 30 * 60, 3 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_later(task_obj, *, attempt: int, kwargs: dict) -> bool:
    """Enqueue `task_obj` again with `kwargs`, one attempt on, after this
    attempt's delay. False when this was the last attempt, when the backend
    cannot run a task later, or when the retry could not be enqueued (logged)."""
    if attempt >= MAX_ATTEMPTS:
        return False
    try:
        if not task_obj.get_backend().supports_defer:
            return False
        run_after = timezone.now() + datetime.timedelta(
            seconds=RETRY_DELAYS[attempt - 1]
        )
        task_obj.using(run_after=run_after).enqueue(**kwargs, attempt=attempt + 1)
    except Exception:
        logger.exception("Could not schedule the next attempt of %s", task_obj.name)
        return False
    return True


def send_once(message) -> bool:
    """Send `message`, unless the same task run already sent it before its worker
    died (the task is then being run again). Returns whether it was sent now.

    A row keyed by (task result id, rank of the email in the task) is written once
    the mail server accepted the message. What remains: a worker killed between
    the server's acceptance and that row's commit (a few milliseconds) leaves no
    row, so the run that takes the task over sends the email a second time.
    Outside the worker (immediate backend, shell) the message is just sent."""
    from retex.worker.models import SentEmail

    current = _current_task.get()
    if current is None:
        message.send()
        return True
    current[1] += 1
    key = f"{current[0]}#{current[1]}"
    if SentEmail.objects.filter(key=key).exists():
        logger.warning("Email %s already sent by an earlier run: not sent again", key)
        return False
    message.send()
    # IntegrityError: another run of the same task recorded it first.
    with contextlib.suppress(IntegrityError):
        SentEmail.objects.create(key=key)
    return True


class EmailRetryScheduled(Exception):
    """This attempt failed; the next one is scheduled."""


class EmailNotSent(Exception):
    """Every attempt failed: `retry_failed_emails` enqueues it again.

    Task results record the class path of the exception that failed them:
    `retex.tasks.EmailNotSent` now, `events.reminders.EmailNotSent` for rows
    written before this class moved here (that name is kept as an alias, and
    `retry_failed_emails` looks for both: `ABANDONED_PATHS`)."""


# The class paths of `EmailNotSent` that FAILED task results may hold.
ABANDONED_PATHS = ("retex.tasks.EmailNotSent", "events.reminders.EmailNotSent")


def deliver(message, *, task_obj, attempt: int, kwargs: dict) -> None:
    """Send `message`; on failure log, schedule a retry when possible, and raise so
    the backend records this attempt as FAILED.

    For any email task: give it an `attempt: int = 1` keyword and pass its other
    keyword arguments as `kwargs`, so the retry is the same task, one attempt on."""
    try:
        send_once(message)
    except Exception as error:
        retried = retry_later(task_obj, attempt=attempt, kwargs=kwargs)
        logger.error(
            "Email %s %s failed (attempt %s of %s, %s): %s",
            task_obj.name,
            kwargs,
            attempt,
            MAX_ATTEMPTS,
            "retry scheduled" if retried else "abandoned",
            error,
        )
        if retried:
            raise EmailRetryScheduled(str(error)) from error
        raise EmailNotSent(str(error)) from error


@task()
def send_email(
    *, subject: str, body: str, to: list[str], reply_to: list[str] | None = None
):
    """Send one plain-text email. Its arguments are JSON so any worker can run it."""
    send_once(
        EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None)
    )
