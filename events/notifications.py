"""Emails about registrations, sent by background tasks after the change commits."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from retex.links import absolute_url, page_url
from retex.tasks import deliver, enqueue_after_commit

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


def calendar_method(registration, kind: str) -> str | None:
    """The invitation attached to a registration email, if any.

    A confirmed person gets a REQUEST (the event enters their calendar, with them
    as ATTENDEE). People waiting get none: they are not attending, and a
    tentative entry would sit in their calendar for an event they may never
    attend. A cancellation, by the person or by an organizer, sends a CANCEL so
    the event leaves their calendar, when it may be there: they were confirmed
    once, or the event changed since (change notices reach people waiting too).
    """
    if kind in {"confirmed", "promoted", "registered_by_colleague"}:
        return "REQUEST" if registration.status == "confirmee" else None
    was_there = registration.confirmed_at or registration.event.sequence
    if kind == "cancelled" and registration.status == "annulee" and was_there:
        return "CANCEL"
    return None


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
    method = calendar_method(registration, kind)
    if method:
        from events.calendar import registration_calendar

        message.attach(
            "evenement.ics",
            registration_calendar(registration, method=method).to_ical(),
            f"text/calendar; method={method}; charset=utf-8",
        )
    deliver(
        message,
        task_obj=send_registration_email,
        attempt=attempt,
        kwargs={"registration_id": registration_id, "kind": kind},
    )
    return True
