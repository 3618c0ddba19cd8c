"""`send_event_reminders`: reminders and waitlist standings, each sent once;
failed emails are recorded, retried, and can be enqueued again."""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone
from django_tasks.signals import task_finished

from events.models import Registration, RegistrationStatus
from events.reminders import send_due_reminders, send_reminder_email
from retex.tasks import MAX_ATTEMPTS, EmailNotSent, EmailRetryScheduled
from tests.factories import EventPageFactory, UserFactory
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(section):
    return section("evenements")


@pytest.fixture
def run_command(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_event_reminders", verbosity=0)

    return run


def starting_in(agenda, hours, **kwargs):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)
    return EventPageFactory(
        parent=agenda, start=start, end=start + datetime.timedelta(hours=3), **kwargs
    )


def register(event, status=RegistrationStatus.CONFIRMED, **kwargs):
    now = timezone.now()
    registration = Registration.objects.create(
        event=event,
        user=kwargs.pop("user", None) or UserFactory(),
        status=status,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
        **kwargs,
    )
    return registration


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminders_go_once_to_confirmed_participants_of_events_within_48_hours(
    agenda, run_command
):
    soon = starting_in(agenda, 24, title="Formation demain")
    confirmed = register(soon)
    register(soon, RegistrationStatus.WAITLISTED)
    register(soon, RegistrationStatus.CANCELLED)
    register(starting_in(agenda, 24 * 5))  # Too early to remind.
    register(starting_in(agenda, -2))  # Already started.
    register(starting_in(agenda, 20, cancelled=True))
    draft = starting_in(agenda, 20)
    register(draft)
    draft.unpublish()

    run_command()
    run_command()  # Hourly: the next run sends nothing again.

    assert recipients() == [confirmed.user.email]
    (message,) = mail.outbox
    assert message.subject == "[Retex] Rappel : Formation demain"
    assert "commence bientôt" in message.body
    assert message.alternatives[0][1] == "text/html"
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None


def test_a_registration_confirmed_later_still_gets_its_reminder(agenda, run_command):
    event = starting_in(agenda, 30)
    first = register(event)
    run_command()
    second = register(event)

    run_command()

    assert recipients() == sorted([first.user.email, second.user.email])


def test_reminder_of_an_online_event_has_the_connection_link(agenda, run_command):
    event = starting_in(
        agenda,
        3,
        online=True,
        city="",
        online_link="https://visio.example.org/salle-7",
    )
    register(event)

    run_command()

    (message,) = mail.outbox
    assert "https://visio.example.org/salle-7" in message.body
    assert "https://visio.example.org/salle-7" in message.alternatives[0][0]


def test_waiting_people_learn_their_position_once_registration_closed(
    agenda, run_command
):
    now = timezone.now()
    closed = starting_in(
        agenda,
        24 * 4,
        capacity=1,
        registration_closes=now - datetime.timedelta(hours=1),
    )
    register(closed)
    first = register(closed, RegistrationStatus.WAITLISTED)
    second = register(closed, RegistrationStatus.WAITLISTED)
    second.waitlisted_at = first.waitlisted_at + datetime.timedelta(minutes=5)
    second.save()
    still_open = starting_in(agenda, 24 * 4, capacity=1)
    register(still_open)
    register(still_open, RegistrationStatus.WAITLISTED)

    run_command()
    run_command()

    assert recipients() == sorted([first.user.email, second.user.email])
    by_person = {message.to[0]: message for message in mail.outbox}
    assert "position 1 sur la liste d'attente" in by_person[first.user.email].body
    assert "position 2 sur la liste d'attente" in by_person[second.user.email].body
    assert by_person[first.user.email].subject.startswith("[Retex] Liste d'attente")
    first.refresh_from_db()
    assert first.waitlist_notice_sent_at is not None


def test_a_run_that_lost_the_race_sends_nothing(
    agenda, django_capture_on_commit_callbacks
):
    """Two runs read the same due reminders; only the first to claim one sends it."""
    registration = register(starting_in(agenda, 10))
    from events import reminders

    candidates = list(reminders.due_reminders().values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        # The slower run claims from its stale list: the conditional update fails.
        assert (
            reminders._claim(candidates[0], "reminder_sent_at", timezone.now()) is False
        )
        assert send_due_reminders() == 0

    assert recipients() == [registration.user.email]


# --- Failures ----------------------------------------------------------------------


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)


@pytest.fixture
def finished_tasks():
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(record)
    yield results
    task_finished.disconnect(record)


def test_a_failed_email_is_recorded_as_failed_and_logged(
    agenda, run_command, smtp_down, finished_tasks, caplog
):
    register(starting_in(agenda, 5))

    with caplog.at_level(logging.ERROR, logger="retex.tasks"):
        run_command()

    (result,) = [r for r in finished_tasks if r.task.name == "send_reminder_email"]
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "retex.tasks.EmailNotSent"
    assert "SMTPServerDisconnected" in result.errors[0].traceback
    assert any("abandoned" in record.getMessage() for record in caplog.records)


def test_a_failed_email_schedules_its_next_attempt(agenda, settings, smtp_down):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    registration = register(starting_in(agenda, 5))
    backend = send_reminder_email.get_backend()

    with pytest.raises(EmailRetryScheduled):
        send_reminder_email.call(registration_id=registration.pk)

    def retries():
        return [r for r in backend.results if r.task.name == "send_reminder_email"]

    (retry,) = retries()
    assert retry.kwargs == {"registration_id": registration.pk, "attempt": 2}
    assert retry.task.run_after > timezone.now() + datetime.timedelta(minutes=4)

    with pytest.raises(EmailNotSent):
        send_reminder_email.call(registration_id=registration.pk, attempt=MAX_ATTEMPTS)
    assert len(retries()) == 1  # The last attempt schedules no other.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_abandoned_emails_are_enqueued_again_by_the_operator(
    section, settings, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registration = register(starting_in(section("evenements"), 5))
    send = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    send_reminder_email.enqueue(registration_id=registration.pk, attempt=MAX_ATTEMPTS)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    failed = DBTaskResult.objects.failed()
    assert failed.get().exception_class_path == "retex.tasks.EmailNotSent"

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    call_command("retry_failed_emails", "--enqueue", verbosity=0)
    call_command("retry_failed_emails", "--enqueue", verbosity=0)  # Nothing left.
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert recipients() == [registration.user.email]
    assert not DBTaskResult.objects.failed().exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emails_abandoned_before_the_move_to_the_core_are_enqueued_again(
    section, settings
):
    """Task results failed before `EmailNotSent` moved from `events.reminders`
    to `retex.tasks` name it by its old path: the name still resolves, and the
    operator's command still finds and sends them."""
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registration = register(starting_in(section("evenements"), 5))
    result = DBTaskResult.objects.create(
        task_path="events.reminders.send_reminder_email",
        args_kwargs={
            "args": [],
            "kwargs": {"registration_id": registration.pk, "attempt": MAX_ATTEMPTS},
        },
        status="FAILED",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        exception_class_path="events.reminders.EmailNotSent",
        traceback="smtplib.SMTPServerDisconnected: down",
        finished_at=timezone.now(),
    )
    assert import_string(result.exception_class_path) is EmailNotSent

    call_command("retry_failed_emails", "--enqueue", verbosity=0)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert recipients() == [registration.user.email]
    assert not DBTaskResult.objects.failed().exists()


# --- Concurrency (PostgreSQL) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runs_at_once_send_each_reminder_once(section):
    event = starting_in(section("evenements"), 12)
    registrations = [register(event) for _ in range(20)]

    claimed = run_at_once([send_due_reminders] * 4)

    assert sum(claimed) == len(registrations)
    assert len(mail.outbox) == len(registrations)
    assert len(set(recipients())) == len(registrations)
