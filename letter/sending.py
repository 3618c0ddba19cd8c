"""Sending a letter: a test to its editor, then to every subscriber, once.

`start_sending(letter, by=…)` locks the letter's row, refuses a second start,
records who started it and enqueues `fan_out_letter` in the same transaction.
That task writes one `Delivery` per address (ON CONFLICT DO NOTHING: a re-run
adds nobody twice) and enqueues `send_letter_batch` tasks of `BATCH_SIZE`.
Each batch sends its pending deliveries (`retex.tasks.send_once`), marks them
and adds to the letter's counts; the last one sets `sent_at`. A batch that
cannot reach the mail server schedules itself again for what is left
(`retex.tasks.retry_later`); after the last attempt those deliveries are « échec ».

Subscribers: active accounts that chose the letter in their preferences, and,
when `LETTER_PUBLIC_SUBSCRIBERS` is on (the default), public subscribers who
confirmed their address and did not unsubscribe; blocked addresses
(`following.models.Suppression`: bounces, complaints) are left out. Each
address gets one copy (an account wins over a public subscription).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from following.mail import build_message, notification_message, unsubscribe_url
from following.models import Suppression
from following.preferences import is_suppressed
from letter.models import Delivery, DeliveryStatus, LetterPage, Subscriber
from retex.links import absolute_url, page_url
from retex.tasks import MAX_ATTEMPTS, enqueue_after_commit, retry_later, send_once

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


class SendingError(Exception):
    """A refusal, in French, for the editor."""


class LetterRetryScheduled(Exception):
    pass


class LetterNotSent(Exception):
    pass


def public_subscribers_allowed() -> bool:
    return getattr(settings, "LETTER_PUBLIC_SUBSCRIBERS", True)


def recipients() -> list[tuple[str, int | None, int | None]]:
    """(address, user id, subscriber id) of everyone the letter goes to."""
    blocked = {e.lower() for e in Suppression.objects.values_list("email", flat=True)}
    chosen: dict[str, tuple] = {}
    for user_id, email in (
        get_user_model()
        .objects.filter(is_active=True, email_preference__letter=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email")
    ):
        address = email.lower()
        if address not in blocked:
            chosen.setdefault(address, (email, user_id, None))
    if public_subscribers_allowed():
        for subscriber_id, email in (
            Subscriber.objects.filter(
                confirmed_at__isnull=False, unsubscribed_at__isnull=True
            )
            .order_by("pk")
            .values_list("pk", "email")
        ):
            address = email.lower()
            if address not in blocked:
                chosen.setdefault(address, (email, None, subscriber_id))
    return list(chosen.values())


def letter_context(letter: LetterPage) -> dict:
    return {
        "letter": letter,
        "letter_url": page_url(letter) or absolute_url("/lettre/"),
        "archive_url": absolute_url("/lettre/"),
    }


def _subject(letter: LetterPage) -> str:
    return letter.title


def letter_message(letter: LetterPage, *, user=None, subscriber=None, test=False):
    """The letter for one person (None if they must not receive it)."""
    context = letter_context(letter)
    subject = _subject(letter)
    if test:
        subject = _("[Test] %(subject)s") % {"subject": subject}
    if user is not None and not test:
        return notification_message(
            user=user,
            category="letter",
            subject=subject,
            text_template="letter/email/letter.txt",
            html_template="letter/email/letter.html",
            context=context,
        )
    if user is not None:  # A test to the editor: sent whatever their preferences.
        address, link = (
            user.email,
            unsubscribe_url(subject="user", subject_id=user.pk, category="letter"),
        )
    else:
        if not subscriber.active or is_suppressed(subscriber.email):
            return None
        address, link = (
            subscriber.email,
            unsubscribe_url(
                subject="subscriber", subject_id=subscriber.pk, category="letter"
            ),
        )
    return build_message(
        to=address,
        category="letter",
        subject=subject,
        text_template="letter/email/letter.txt",
        html_template="letter/email/letter.html",
        context=context,
        unsubscribe=link,
    )


# --- A test, to oneself ---------------------------------------------------------------


def send_test(letter: LetterPage, *, to) -> None:
    """Send the letter's latest draft to `to` (the editor), in the background."""
    enqueue_after_commit(send_letter_test, letter_id=letter.pk, user_id=to.pk)


@task()
def send_letter_test(*, letter_id: int, user_id: int) -> None:
    letter = LetterPage.objects.get(pk=letter_id)
    draft = letter.get_latest_revision_as_object()
    user = get_user_model().objects.get(pk=user_id)
    send_once(letter_message(draft, user=user, test=True))


# --- To every subscriber -----------------------------------------------------------------


def start_sending(letter: LetterPage, *, by) -> LetterPage:
    with transaction.atomic():
        letter = LetterPage.objects.select_for_update().get(pk=letter.pk)
        if letter.send_started_at is not None:
            raise SendingError(
                _("Cette lettre a déjà été envoyée (ou son envoi est en cours).")
            )
        if not letter.live or letter.has_unpublished_changes:
            raise SendingError(
                _(
                    "Publiez d'abord la lettre : c'est la version publiée qui est envoyée."
                )
            )
        letter.send_started_at = timezone.now()
        letter.sent_by = by
        letter.save(update_fields=["send_started_at", "sent_by"])
        enqueue_after_commit(fan_out_letter, letter_id=letter.pk)
    return letter


@task()
def fan_out_letter(*, letter_id: int) -> int:
    everyone = recipients()
    Delivery.objects.bulk_create(
        [
            Delivery(
                letter_id=letter_id, email=email, user_id=user_id, subscriber_id=sub_id
            )
            for email, user_id, sub_id in everyone
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    ids = list(
        Delivery.objects.filter(letter_id=letter_id, status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        LetterPage.objects.filter(pk=letter_id).update(
            recipient_count=Delivery.objects.filter(letter_id=letter_id).count()
        )
        for start in range(0, len(ids), BATCH_SIZE):
            enqueue_after_commit(
                send_letter_batch,
                letter_id=letter_id,
                delivery_ids=ids[start : start + BATCH_SIZE],
            )
    if not ids:
        _finish_if_done(letter_id)
    return len(ids)


def _finish_if_done(letter_id: int) -> None:
    if not Delivery.objects.filter(
        letter_id=letter_id, status=DeliveryStatus.PENDING
    ).exists():
        LetterPage.objects.filter(pk=letter_id, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )


@task()
def send_letter_batch(
    *, letter_id: int, delivery_ids: list[int], attempt: int = 1
) -> int:
    letter = LetterPage.objects.get(pk=letter_id)
    failed, last_error, sent = [], None, 0
    deliveries = (
        Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
        .select_related("user", "subscriber")
        .order_by("pk")
    )
    for delivery in deliveries:
        message = letter_message(
            letter, user=delivery.user, subscriber=delivery.subscriber
        )
        if message is None:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.SKIPPED
            )
            continue
        try:
            send_once(message)
        except Exception as error:  # Retried below; the others are still sent.
            failed.append(delivery.pk)
            last_error = error
            continue
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now()
        )
        LetterPage.objects.filter(pk=letter_id).update(sent_count=F("sent_count") + 1)
        sent += 1
    if failed:
        retried = retry_later(
            send_letter_batch,
            attempt=attempt,
            kwargs={"letter_id": letter_id, "delivery_ids": failed},
        )
        logger.error(
            "Letter %s: %s emails failed (attempt %s of %s, %s): %s",
            letter_id,
            len(failed),
            attempt,
            MAX_ATTEMPTS,
            "retry scheduled" if retried else "abandoned",
            last_error,
        )
        if retried:
            raise LetterRetryScheduled(str(last_error)) from last_error
        Delivery.objects.filter(pk__in=failed).update(status=DeliveryStatus.FAILED)
        LetterPage.objects.filter(pk=letter_id).update(
            failed_count=F("failed_count") + len(failed)
        )
        _finish_if_done(letter_id)
        raise LetterNotSent(str(last_error)) from last_error
    _finish_if_done(letter_id)
    return sent
