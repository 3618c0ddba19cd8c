"""An event's synthesis: once the knowledge page chosen on the event
(`EventPage.synthesis`) is published and the event is over, the people who took
part are told, once.

Who: confirmed registrations not marked absent (`attended` True or not yet
pointed), of active accounts. When: the synthesis page is published while the
event is over, or the event is published with a synthesis already live
(`events.signals`), each enqueueing `send_synthesis_notices` in the publishing
transaction. Once: each registration is claimed by a conditional UPDATE of
`synthesis_notice_sent_at` in the transaction that enqueues its email
(`events.reminders`' pattern), so a republished synthesis or two workers never
send it twice. Visibility is checked when the email is built, not when the page
was published: a person who may not see the synthesis (a members-only page) or
the event gets nothing, and is not claimed, so a later publication reaches them
once they may see it.
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from events.models import EventPage, Registration, RegistrationStatus
from retex.links import absolute_url, page_url
from retex.tasks import deliver, enqueue_after_commit


def synthesis_recipients(event: EventPage):
    """Registrations still to be told about the synthesis of `event`."""
    return (
        Registration.objects.filter(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            synthesis_notice_sent_at__isnull=True,
            user__isnull=False,
            user__is_active=True,
        )
        .filter(Q(attended=True) | Q(attended__isnull=True))
        .select_related("user")
        .order_by("pk")
    )


def synthesis_for(event: EventPage, user):
    """The synthesis `user` may read now, with the event they may see; else None."""
    from retex.visibility import page_restrictions_failed

    if not event.live or event.cancelled or not event.is_past():
        return None
    if page_restrictions_failed(event, user):
        return None
    return event.visible_synthesis(user)


def announce_synthesis(event: EventPage) -> None:
    """After a publication that may make the synthesis of `event` readable:
    tell its participants, in the background, once the transaction commits."""
    if event.synthesis_id:
        enqueue_after_commit(send_synthesis_notices, event_id=event.pk)


@task()
def send_synthesis_notices(*, event_id: int) -> int:
    """Claim and enqueue one email per participant who may read the synthesis
    now; returns how many this run claimed."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    claimed = 0
    for registration in synthesis_recipients(event):
        if synthesis_for(event, registration.user) is None:
            continue
        with transaction.atomic():
            updated = Registration.objects.filter(
                pk=registration.pk, synthesis_notice_sent_at__isnull=True
            ).update(synthesis_notice_sent_at=timezone.now())
            if updated:
                enqueue_after_commit(
                    send_synthesis_email, registration_id=registration.pk
                )
                claimed += 1
    return claimed


@task()
def send_synthesis_email(*, registration_id: int, attempt: int = 1) -> bool:
    """The email, built with what the person may see when it is sent."""
    registration = (
        Registration.objects.select_related("event", "user")
        .filter(pk=registration_id, user__isnull=False, user__is_active=True)
        .first()
    )
    if registration is None:
        return False
    event, user = registration.event, registration.user
    synthesis = synthesis_for(event, user)
    if synthesis is None:
        return False
    context = {
        "user": user,
        "event": event,
        "synthesis": synthesis,
        "synthesis_url": page_url(synthesis),
        "event_url": page_url(event),
        "my_space_url": absolute_url(reverse("my_space")),
    }
    message = EmailMultiAlternatives(
        subject="[Retex] " + _("Synthèse : %(title)s") % {"title": event.title},
        body=render_to_string("events/email/synthesis.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("events/email/synthesis.html", context), "text/html"
    )
    deliver(
        message,
        task_obj=send_synthesis_email,
        attempt=attempt,
        kwargs={"registration_id": registration_id},
    )
    return True
