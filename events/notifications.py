"""Emails about registrations, sent by background tasks after the change commits."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from retex.links import absolute_url, page_url
from retex.tasks import enqueue_after_commit

SUBJECTS = {
    "confirmed": "Inscription confirmée : %(title)s",
    "waitlisted": "Liste d'attente : %(title)s",
    "promoted": "Une place s'est libérée : %(title)s",
    "cancelled": "Désinscription : %(title)s",
    "registered_by_colleague": "Vous êtes inscrit·e à %(title)s",
}


def notify_registration(registration, kind: str) -> None:
    if registration.user_id is None:
        return
    enqueue_after_commit(
        send_registration_email, registration_id=registration.pk, kind=kind
    )


@task()
def send_registration_email(
    *, registration_id: int, kind: str, attempt: int = 1
) -> bool:
    """Failures are logged, recorded as FAILED and retried (see events.reminders)."""
    from django.core.mail import EmailMultiAlternatives

    from events.models import Registration
    from events.registration import waitlist_position

    registration = (
        Registration.objects.select_related("event", "user", "registered_by")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.user is None:
        return False
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "user": registration.user,
        "kind": kind,
        "position": waitlist_position(registration),
        "event_url": page_url(event),
        "my_space_url": absolute_url(reverse("my_space")),
        "show_online_link": registration.status == "confirmee" and event.online_link,
    }
    subject = "[Retex] " + _(SUBJECTS[kind]) % {"title": event.title}
    body = render_to_string("events/email/registration.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=[registration.user.email]
    )
    html = render_to_string("events/email/registration.html", context)
    message.attach_alternative(html, "text/html")
    if registration.status == "confirmee" and kind in {
        "confirmed",
        "promoted",
        "registered_by_colleague",
    }:
        from events.calendar import event_calendar

        message.attach(
            "evenement.ics",
            event_calendar([event], method="REQUEST").to_ical(),
            "text/calendar; method=REQUEST; charset=utf-8",
        )
    from events.reminders import deliver

    deliver(
        message,
        task_obj=send_registration_email,
        attempt=attempt,
        kwargs={"registration_id": registration_id, "kind": kind},
    )
    return True
