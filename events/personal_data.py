"""Registrations in a person's data export; what deletion does to them.

Before the account is deleted, its registrations to events that have not begun
are cancelled through the registration rules (`registration_withdraw`): the
seat is freed and the first people waiting are promoted, in order, with their
emails, as if the person had cancelled. A deleted account never holds a seat
nor waits in line under no name.

Registrations to events that have begun or are over stay, anonymously:
`Registration.user` is set to NULL when the account is deleted (on_delete), so
attendance statistics survive without anybody's name; the certificate code,
which could be traced back to the person on paper, is erased.
"""

from django.db import OperationalError, transaction
from django.utils import timezone

from events.models import ACTIVE_REGISTRATION_STATUSES, Registration, RegistrationStatus
from members.personal_data import erasure_hook, export_provider


def _iso(value):
    return value.isoformat() if value else None


@export_provider("inscriptions")
def registrations_of(user) -> list:
    return [
        {
            "evenement": r.event.title,
            "debut": _iso(r.event.start),
            "etat": r.get_status_display(),
            "inscrit_le": _iso(r.created_at),
            "annulee_le": _iso(r.cancelled_at),
            "present": r.attended,
            "code_attestation": r.certificate_code,
            "collectivite": r.collectivity.title if r.collectivity else None,
        }
        for r in Registration.objects.filter(user=user).select_related(
            "event", "collectivity"
        )
    ]


def registration_withdraw(*, registration_id: int) -> Registration:
    """Cancel a registration because its person's account goes: whatever the
    cancellation deadline, without an email to that person (their address is
    being erased), and the freed seat goes to the first people waiting."""
    from events.registration import _busy, _locked_event, _promote_waitlisted

    try:
        with transaction.atomic():
            registration = Registration.objects.get(pk=registration_id)
            event = _locked_event(registration.event_id)
            registration = Registration.objects.select_for_update().get(
                pk=registration_id
            )
            if registration.status in ACTIVE_REGISTRATION_STATUSES:
                registration.status = RegistrationStatus.CANCELLED
                registration.cancelled_at = timezone.now()
                registration.save(update_fields=["status", "cancelled_at"])
                _promote_waitlisted(event)
    except OperationalError as error:
        raise _busy(error) from error
    return registration


@erasure_hook
def withdraw_future_registrations(user) -> None:
    upcoming = Registration.objects.filter(
        user=user,
        status__in=ACTIVE_REGISTRATION_STATUSES,
        event__start__gt=timezone.now(),
    ).order_by("pk")
    for registration_id in upcoming.values_list("pk", flat=True):
        registration_withdraw(registration_id=registration_id)


@erasure_hook
def anonymise_registrations(user) -> None:
    Registration.objects.filter(user=user).update(certificate_code="")
    Registration.objects.filter(registered_by=user).update(registered_by=None)
