"""Tasks for the worker tests, run by real `db_worker` processes: they report
through files, since the test and the worker are different processes."""

import time
from pathlib import Path

from django.core.mail import EmailMessage
from django_tasks import task

from retex.tasks import send_once


@task()
def send_then_wait(*, to: str, runs_file: str, go_file: str) -> str:
    """Send one email, note this run, then wait for `go_file` (so that the test
    can kill the worker half-way)."""
    send_once(EmailMessage(subject="Tâche reprise", body="Une seule fois.", to=[to]))
    with open(runs_file, "a") as runs:
        runs.write("run\n")
    while not Path(go_file).exists():
        time.sleep(0.05)
    return "done"


@task()
def touch(*, path: str) -> None:
    Path(path).write_text("done")
