"""Registrations in a person's data export; kept anonymously after deletion.

`Registration.user` is set to NULL when the account is deleted (on_delete), so
attendance statistics survive without anybody's name; the certificate code,
which could be traced back to the person on paper, is erased.
"""

from events.models import Registration
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


@erasure_hook
def anonymise_registrations(user) -> None:
    Registration.objects.filter(user=user).update(certificate_code="")
    Registration.objects.filter(registered_by=user).update(registered_by=None)
