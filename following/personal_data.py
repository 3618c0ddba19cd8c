"""Follows, email preferences and sent digests in a person's data export.

Deleting the account deletes them with it (foreign keys cascade); a blocked
address (`Suppression`) is not personal to an account and stays, so that a
complaint is still honoured if the address signs up again.
"""

from following.kinds import describe_follows
from following.models import Digest, EmailPreference, Follow
from members.personal_data import export_provider


def _iso(value):
    return value.isoformat() if value else None


@export_provider("abonnements")
def following_data_of(user) -> dict:
    preference = EmailPreference.objects.filter(user=user).first()
    follows = list(Follow.objects.filter(user=user))
    return {
        "preferences": {
            "frequence": preference.get_frequency_display(),
            "lettre": preference.letter,
            "entraide": preference.aid,
            "evenements": preference.events,
        }
        if preference
        else None,
        "suivis": [
            {
                "type": str(item["kind_label"]),
                "libelle": str(item["label"]),
                "recherche": item["follow"].query,
                "filtres": item["follow"].filters,
                "depuis": _iso(item["follow"].created_at),
            }
            for item in describe_follows(follows, user)
        ],
        "resumes_envoyes": [
            {
                "periode": d.period,
                "etat": d.get_status_display(),
                "envoye_le": _iso(d.sent_at),
            }
            for d in Digest.objects.filter(user=user).order_by("created_at")
        ],
    }
