"""Background work shared by every app, through Django's task framework.

Tasks are enqueued only once the surrounding transaction commits: a worker on
another machine must never pick up a task about a row it cannot see yet, nor send
an email about a change that was rolled back.
"""

from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task


def enqueue_after_commit(task_obj, *args, **kwargs) -> None:
    """Enqueue `task_obj` with these arguments when the current transaction commits
    (at once when there is none)."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


@task()
def send_email(
    *, subject: str, body: str, to: list[str], reply_to: list[str] | None = None
):
    """Send one plain-text email. Its arguments are JSON so any worker can run it."""
    EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None).send()
