"""A person's personal data: export it all, or erase it (RGPD).

Each app that stores personal data registers a provider here (events adds the
registrations), so the export holds everything about one person and nothing
about anybody else, and deletion leaves nothing behind.
"""

import logging
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from members.models import Affiliation, User

logger = logging.getLogger("retex.personal_data")

# name -> function(user) returning JSON-serialisable data about that user only.
EXPORT_PROVIDERS: dict[str, Callable[[User], object]] = {}
# functions(user) called before the account is deleted, to anonymise what must
# outlive it (e.g. event attendance statistics).
ERASURE_HOOKS: list[Callable[[User], None]] = []


def export_provider(name: str):
    def register(function):
        EXPORT_PROVIDERS[name] = function
        return function

    return register


def erasure_hook(function):
    ERASURE_HOOKS.append(function)
    return function


def _iso(value):
    return value.isoformat() if value else None


@export_provider("compte")
def _account(user: User) -> dict:
    return {
        "email": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "statut": user.get_status_display() if user.status else "",
        "fonction": user.function_title,
        "telephone": user.phone,
        "inscrit_le": _iso(user.date_joined),
        "derniere_connexion": _iso(user.last_login),
        "adresses": [
            {"email": a.email, "verifiee": a.verified, "principale": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


@export_provider("rattachements")
def _affiliations(user: User) -> list:
    return [
        {
            "collectivite": a.collectivity.title,
            "etat": a.get_status_display(),
            "role": a.get_role_display(),
            "message": a.message,
            "demande_le": _iso(a.requested_at),
            "decide_le": _iso(a.decided_at),
            "motif_refus": a.refusal_reason,
        }
        for a in Affiliation.objects.filter(user=user).select_related("collectivity")
    ]


def personal_data_export(user: User) -> dict:
    return {
        "genere_le": timezone.now().isoformat(),
        **{name: provider(user) for name, provider in EXPORT_PROVIDERS.items()},
    }


def account_delete(*, user: User) -> None:
    """Erase the person's account and personal data; keep anonymous statistics.

    The log line names the account by its id only: the log must not become a
    copy of the erased data.
    """
    user_id = user.pk
    with transaction.atomic():
        for hook in ERASURE_HOOKS:
            hook(user)
        user.delete()
    logger.info("Account %s deleted at its owner's request", user_id)
