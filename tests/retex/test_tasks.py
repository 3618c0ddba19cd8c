"""Background tasks run only for committed work, immediately or through a worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from retex.tasks import enqueue_after_commit, send_email

pytestmark = pytest.mark.django_db

EMAIL = {
    "subject": "Inscription confirmée",
    "body": "À bientôt !",
    "to": ["elu@ville.fr"],
}


def test_email_task_is_sent_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_after_commit(send_email, **EMAIL)
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Inscription confirmée"]
    assert mail.outbox[0].to == ["elu@ville.fr"]


def test_nothing_is_sent_when_the_transaction_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_after_commit(send_email, **EMAIL)
        raise RuntimeError("the registration failed")
    assert callbacks == []
    assert mail.outbox == []


# The worker closes its database connection when it stops, as a real process does:
# this needs real transactions, and the page tree restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_queue_is_drained_by_the_worker(settings):
    """The production path: the web process queues, `db_worker` sends."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    result = send_email.enqueue(**EMAIL)

    assert mail.outbox == []
    assert DBTaskResult.objects.filter(pk=result.id, status="READY").exists()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Inscription confirmée"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
