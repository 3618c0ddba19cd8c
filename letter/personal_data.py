"""The letter in a person's data export; deleting the account removes the
public subscription of the same address and the record of letters sent to it."""

from letter.models import Delivery, Subscriber
from members.personal_data import erasure_hook, export_provider


def _iso(value):
    return value.isoformat() if value else None


@export_provider("lettre")
def letter_data_of(user) -> dict:
    subscriber = Subscriber.objects.filter(email__iexact=user.email).first()
    return {
        "abonnement_public": {
            "adresse": subscriber.email,
            "inscrit_le": _iso(subscriber.created_at),
            "confirme_le": _iso(subscriber.confirmed_at),
            "desabonne_le": _iso(subscriber.unsubscribed_at),
        }
        if subscriber
        else None,
        "lettres_recues": [
            {"lettre": d.letter.title, "envoyee_le": _iso(d.sent_at)}
            for d in Delivery.objects.filter(user=user).select_related("letter")
        ],
    }


@erasure_hook
def forget_subscription(user) -> None:
    Delivery.objects.filter(email__iexact=user.email).delete()
    Subscriber.objects.filter(email__iexact=user.email).delete()
