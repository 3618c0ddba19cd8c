"""Emails about an event's timing: reminders, waitlist standings, changes.

- Reminders (`send_due_reminders`): confirmed participants of an event that starts
  within `REMINDER_HOURS` hours get one reminder, with the connection link for an
  online event.
- Waitlist standings (`send_waitlist_notices`): once registration has closed, each
  person still waiting is told their position, once.
- Changes (`notify_event_change`, called by `events.signals`): when an event's
  sessions, times or place change, or when it is cancelled, every active
  participant (confirmed or waiting) gets an email with an updated .ics (same UID,
  higher SEQUENCE; METHOD:CANCEL for a cancellation).

Once only, even when `send_event_reminders` runs every hour from several machines
at once: a registration is claimed by a conditional UPDATE (`…_sent_at IS NULL`)
in its own transaction, and its email is enqueued when that transaction commits.
Two runs never both claim a row: on PostgreSQL the second UPDATE waits for the
first to commit, then matches nothing; SQLite runs writers one at a time.

Failed emails are retried, never lost silently: each email task sends through
`retex.tasks.deliver` (retries, then `EmailNotSent` and `retry_failed_emails`).
"""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    EventPage,
    Registration,
    RegistrationStatus,
)
from retex.links import absolute_url, page_url
from retex.tasks import (
    # Task results written before these two moved to the core name them by this
    # module (`events.reminders.EmailNotSent`): they stay importable from here.
    EmailNotSent,  # noqa: F401
    EmailRetryScheduled,  # noqa: F401
    deliver,
    enqueue_after_commit,
)

logger = logging.getLogger(__name__)

REMINDER_HOURS = 48

SUBJECTS = {
    "reminder": "Rappel : %(title)s",
    "waitlist_position": "Liste d'attente : %(title)s",
    "updated": "Modification : %(title)s",
    "cancelled": "Annulation : %(title)s",
}


# --- Claiming, once per registration -----------------------------------------------


def _claim(registration_id: int, field: str, now) -> bool:
    """Mark the registration as done for `field`; False when another run did."""
    return bool(
        Registration.objects.filter(
            pk=registration_id, **{f"{field}__isnull": True}
        ).update(**{field: now})
    )


def _claim_and_enqueue(candidates, field: str, task_obj, now) -> int:
    sent = 0
    for registration_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            if _claim(registration_id, field, now):
                enqueue_after_commit(task_obj, registration_id=registration_id)
                sent += 1
    return sent


def due_reminders(now=None):
    now = now or timezone.now()
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        user__isnull=False,
        user__is_active=True,
        event__live=True,
        event__cancelled=False,
        event__start__gt=now,
        event__start__lte=now + datetime.timedelta(hours=REMINDER_HOURS),
    ).order_by("event__start", "pk")


def due_waitlist_notices(now=None):
    """People still waiting for an event whose registration has closed (its closing
    date passed, or it started) and which has not ended."""
    now = now or timezone.now()
    return Registration.objects.filter(
        Q(event__registration_closes__lte=now) | Q(event__start__lte=now),
        status=RegistrationStatus.WAITLISTED,
        waitlist_notice_sent_at__isnull=True,
        user__isnull=False,
        user__is_active=True,
        event__live=True,
        event__cancelled=False,
        event__end__gt=now,
    ).order_by("event__start", "waitlisted_at", "pk")


def send_due_reminders(now=None) -> int:
    """Enqueue each due reminder once; returns how many this run claimed."""
    now = now or timezone.now()
    return _claim_and_enqueue(
        due_reminders(now), "reminder_sent_at", send_reminder_email, now
    )


def send_waitlist_notices(now=None) -> int:
    now = now or timezone.now()
    return _claim_and_enqueue(
        due_waitlist_notices(now),
        "waitlist_notice_sent_at",
        send_waitlist_notice_email,
        now,
    )


def notify_event_change(event: EventPage, change: str) -> None:
    """After this transaction commits: email the event's active participants that
    it was `updated` or `cancelled` (one task, which enqueues one email each)."""
    enqueue_after_commit(
        send_event_change_notices,
        event_id=event.pk,
        change=change,
        sequence=event.sequence,
    )


# --- Sending -----------------------------------------------------------------------


def _registration(registration_id: int):
    return (
        Registration.objects.select_related("event", "user")
        .filter(pk=registration_id, user__isnull=False, user__is_active=True)
        .first()
    )


def _message(registration, kind: str, extra: dict | None = None):
    event = registration.event
    user = registration.user
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    context = {
        "kind": kind,
        "event": event,
        "user": user,
        "registration": registration,
        "sessions": list(event.sessions.all()),
        "event_url": page_url(event),
        "my_space_url": absolute_url(reverse("my_space")),
        "show_online_link": bool(
            confirmed and event.online and event.online_link and not event.cancelled
        ),
        **(extra or {}),
    }
    subject = "[Retex] " + _(SUBJECTS[kind]) % {"title": event.title}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("events/email/event_notice.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("events/email/event_notice.html", context), "text/html"
    )
    return message


@task()
def send_reminder_email(*, registration_id: int, attempt: int = 1) -> bool:
    registration = _registration(registration_id)
    if (
        registration is None
        or registration.status != RegistrationStatus.CONFIRMED
        or registration.event.cancelled
    ):
        return False
    message = _message(registration, "reminder")
    deliver(
        message,
        task_obj=send_reminder_email,
        attempt=attempt,
        kwargs={"registration_id": registration_id},
    )
    return True


@task()
def send_waitlist_notice_email(*, registration_id: int, attempt: int = 1) -> bool:
    from events.registration import waitlist_position

    registration = _registration(registration_id)
    if registration is None or registration.status != RegistrationStatus.WAITLISTED:
        return False
    position = waitlist_position(registration)
    message = _message(registration, "waitlist_position", {"position": position})
    deliver(
        message,
        task_obj=send_waitlist_notice_email,
        attempt=attempt,
        kwargs={"registration_id": registration_id},
    )
    return True


@task()
def send_event_change_notices(*, event_id: int, change: str, sequence: int) -> int:
    """Fan out: one email task per active participant, all enqueued in one
    transaction (with the database backend: all of them or none, so a worker
    killed half-way leaves no participant out when the task runs again)."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None or event.sequence != sequence:
        return 0  # Deleted, or changed again: the newer notice tells them.
    registration_ids = list(
        Registration.objects.filter(
            event_id=event_id,
            status__in=ACTIVE_REGISTRATION_STATUSES,
            user__isnull=False,
            user__is_active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for registration_id in registration_ids:
            enqueue_after_commit(
                send_event_change_email,
                registration_id=registration_id,
                change=change,
                sequence=sequence,
            )
    return len(registration_ids)


@task()
def send_event_change_email(
    *, registration_id: int, change: str, sequence: int, attempt: int = 1
) -> bool:
    from events.calendar import registration_calendar

    registration = _registration(registration_id)
    if (
        registration is None
        or registration.status not in ACTIVE_REGISTRATION_STATUSES
        or registration.event.sequence != sequence
    ):
        return False
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    extra = {}
    if not confirmed:
        from events.registration import waitlist_position

        extra["position"] = waitlist_position(registration)
    message = _message(registration, change, extra)
    method = "CANCEL" if change == "cancelled" else "REQUEST"
    calendar = registration_calendar(registration, method=method)
    message.attach(
        "evenement.ics",
        calendar.to_ical(),
        f"text/calendar; method={method}; charset=utf-8",
    )
    deliver(
        message,
        task_obj=send_event_change_email,
        attempt=attempt,
        kwargs={
            "registration_id": registration_id,
            "change": change,
            "sequence": sequence,
        },
    )
    return True
