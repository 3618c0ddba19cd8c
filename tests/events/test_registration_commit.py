"""A registration and its email task commit together, and a failure after the
commit never tells a registered person to try again.

With django-tasks-db the email task is a row in the same database: it is written
inside the registration's transaction, so a crash right after the commit loses no
email, and a rollback leaves no task."""

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError, connections, transaction
from django_tasks_db.models import DBTaskResult

from events.models import Registration, RegistrationStatus
from events.registration import registration_create
from events.tasks import promote_waitlist
from tests.factories import EventPageFactory
from tests.factories import verified_person as person

EMAIL_TASK = "events.notifications.send_registration_email"


@pytest.fixture
def database_tasks(settings):
    """The production backend: tasks are rows for `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def email_tasks(registration_id):
    return [
        task
        for task in DBTaskResult.objects.filter(task_path=EMAIL_TASK)
        if task.args_kwargs["kwargs"]["registration_id"] == registration_id
    ]


@pytest.mark.django_db
def test_the_email_task_is_written_in_the_registrations_transaction(
    section, database_tasks
):
    event = EventPageFactory(parent=section("evenements"), capacity=1)
    with transaction.atomic():
        registration, created = registration_create(event_id=event.pk, user=person())
        # Not committed yet, and already queued: both commit, or neither.
        [task] = email_tasks(registration.pk)
    assert created
    assert task.status == "READY"
    assert task.args_kwargs["kwargs"]["kind"] == "confirmed"


@pytest.mark.django_db
def test_a_rolled_back_registration_leaves_no_task(section, database_tasks):
    event = EventPageFactory(parent=section("evenements"), capacity=1)
    user = person()
    with pytest.raises(RuntimeError), transaction.atomic():
        registration_create(event_id=event.pk, user=user)
        raise RuntimeError("the request failed after registering")
    assert not Registration.objects.filter(user=user).exists()
    assert not DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_commit_whose_answer_is_lost_still_says_registered(
    client, section, database_tasks, monkeypatch
):
    """The server applies the COMMIT, then the connection drops before it answers:
    the person is registered, is told so, and their email is queued."""
    event = EventPageFactory(parent=section("evenements"), capacity=5)
    user = person()
    client.force_login(user)
    wrapper = connections["default"]
    real_commit = wrapper._commit

    def commit_then_lose_the_answer():
        monkeypatch.setattr(wrapper, "_commit", real_commit)  # Once.
        real_commit()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(wrapper, "_commit", commit_then_lose_the_answer)
    response = client.post(event.url + "inscription/")

    assert response.status_code == 302
    said = messages_of(response)
    assert not any("réessayez" in message for message in said), said
    assert said == ["Votre inscription est confirmée. Un courriel suit."]
    registration = Registration.objects.get(event=event, user=user)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(email_tasks(registration.pk)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_after_the_commit_is_not_a_server_error(
    client, section, database_tasks, monkeypatch
):
    """Registered on the waitlist, then the database fails while the answer is
    written (reading the position): the person still learns they are registered."""
    from events import views

    event = EventPageFactory(
        parent=section("evenements"), capacity=1, waitlist_enabled=True
    )
    registration_create(event_id=event.pk, user=person())  # Takes the seat.
    user = person()
    client.force_login(user)

    def database_gone(registration):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(views, "waitlist_position", database_gone)
    client.raise_request_exception = False
    response = client.post(event.url + "inscription/")

    assert response.status_code == 302
    assert messages_of(response) == ["Votre inscription est enregistrée."]
    registration = Registration.objects.get(event=event, user=user)
    assert registration.status == RegistrationStatus.WAITLISTED
    assert len(email_tasks(registration.pk)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_when_the_database_cannot_tell_nobody_is_told_to_try_again(
    client, section, database_tasks, monkeypatch
):
    """The COMMIT's answer is lost and the database stays unreachable: the site
    does not know, and says so rather than "try again"."""
    event = EventPageFactory(parent=section("evenements"), capacity=5)
    user = person()
    client.force_login(user)
    wrapper = connections["default"]
    real_commit = wrapper._commit

    def unreachable(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    def commit_then_lose_the_database():
        monkeypatch.setattr(wrapper, "_commit", real_commit)
        real_commit()
        wrapper.execute_wrappers.append(unreachable)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(wrapper, "_commit", commit_then_lose_the_database)
    try:
        response = client.post(event.url + "inscription/")
    finally:
        if unreachable in wrapper.execute_wrappers:
            wrapper.execute_wrappers.remove(unreachable)

    assert response.status_code == 302
    assert messages_of(response) == [
        "Le site n'a pas pu vérifier votre inscription\u00a0: rechargez la page dans "
        "un instant pour savoir si elle est enregistrée."
    ]
    assert Registration.objects.filter(event=event, user=user).exists()


@pytest.mark.django_db
def test_raising_the_capacity_queues_the_promotion_with_the_change(
    section, database_tasks
):
    """The promotion of people waiting is a task written in the publication's
    transaction, not work left to the web process after the commit."""
    event = EventPageFactory(
        parent=section("evenements"), capacity=1, waitlist_enabled=True
    )
    registration_create(event_id=event.pk, user=person())
    waiting, _ = registration_create(event_id=event.pk, user=person())
    assert waiting.status == RegistrationStatus.WAITLISTED

    with transaction.atomic():
        event.capacity = 2
        event.save_revision().publish()
        [task] = DBTaskResult.objects.filter(task_path="events.tasks.promote_waitlist")

    assert task.args_kwargs["kwargs"] == {"event_id": event.pk}
    # Run as the worker would: the person waiting gets the seat, once.
    assert promote_waitlist.call(event_id=event.pk) == 1
    assert promote_waitlist.call(event_id=event.pk) == 0
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
