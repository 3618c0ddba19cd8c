"""Bounces and complaints: an address recorded here receives nothing more.

Recorded by `python manage.py record_bounce <address> [--plainte]` (from the
mail provider's reports; removing one is a deliberate database change); every sender
asks `following.preferences.is_suppressed` (digests, the letter, and whatever
goes through `notification_message`)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from following.models import Suppression, SuppressionReason


class SuppressionError(Exception):
    pass


def record_suppression(email: str, *, complaint: bool = False, note: str = "") -> bool:
    """Block `email`; returns False if it already was (a complaint wins over a bounce)."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise SuppressionError(
            _("« %(email)s » n'est pas une adresse valide.") % {"email": email}
        ) from error
    reason = SuppressionReason.COMPLAINT if complaint else SuppressionReason.BOUNCE
    existing = Suppression.objects.filter(email__iexact=email).first()
    if existing:
        if complaint and existing.reason != reason:
            Suppression.objects.filter(pk=existing.pk).update(reason=reason)
        return False
    try:
        with transaction.atomic():
            Suppression.objects.create(
                email=email.lower(), reason=reason, note=note[:300]
            )
    except IntegrityError:
        return False
    return True
