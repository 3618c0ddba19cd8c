"""Who wants which email: one rule for every sender (digests, the letter,
mutual-aid and event emails)."""

from django.db import transaction

from following.models import Category, EmailPreference, Frequency, Suppression

CATEGORIES = {choice.value for choice in Category}


def preferences_of(user) -> EmailPreference:
    """The person's preferences (the defaults, saved, the first time)."""
    preference = getattr(user, "_retex_email_preference", None)
    if preference is None:
        preference, _created = EmailPreference.objects.get_or_create(user=user)
        user._retex_email_preference = preference
    return preference


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email__iexact=email).exists()


def wants(user, category: str, *, preference: EmailPreference | None = None) -> bool:
    """Whether this person may be sent an email of `category` now."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown email category {category!r}")
    if not user.is_active or not user.email:
        return False
    preference = preference or preferences_of(user)
    allowed = {
        Category.DIGEST: preference.frequency != Frequency.NEVER,
        Category.LETTER: preference.letter,
        Category.AID: preference.aid,
        Category.EVENTS: preference.events,
    }[category]
    return allowed and not is_suppressed(user.email)


def set_category(user, category: str, enabled: bool) -> EmailPreference:
    """Turn one category on or off (off for the digest means « jamais »)."""
    with transaction.atomic():
        preference = preferences_of(user)
        preference = EmailPreference.objects.select_for_update().get(pk=preference.pk)
        if category == Category.DIGEST:
            if not enabled:
                preference.frequency = Frequency.NEVER
            elif preference.frequency == Frequency.NEVER:
                preference.frequency = Frequency.WEEKLY
        else:
            setattr(preference, category, enabled)
        preference.save()
    user._retex_email_preference = preference
    return preference
