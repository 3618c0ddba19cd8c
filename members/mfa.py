"""Two-factor authentication (MFA) for the people who run the site.

allauth handles MFA itself (set-up pages, the code asked after the password), but
has no way to make it compulsory. Retex makes it compulsory for staff and editors
before they use the Wagtail admin: `members.middleware` asks these questions.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

# Authenticators that are a second factor on their own. Recovery codes only stand
# in for one, and allauth's login asks for a code only when one of these exists.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def can_use_admin(user) -> bool:
    """Staff, or anybody with Wagtail's "access admin" permission (editors)."""
    return user.is_authenticated and (
        user.is_staff or user.has_perm("wagtailadmin.access_admin")
    )


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, types=list(SECOND_FACTORS))


def is_exempt(user) -> bool:
    """Only the local demo administrator, and only with DEBUG on.

    `RETEX_ADMIN_MFA_EXEMPT_EMAILS` is empty in production anyway; checking DEBUG
    here as well means a misconfigured list cannot open a production admin.
    """
    if not settings.DEBUG:
        return False
    exempt = {email.lower() for email in settings.RETEX_ADMIN_MFA_EXEMPT_EMAILS}
    return (user.email or "").lower() in exempt


def must_set_up_mfa_for_admin(user) -> bool:
    """True when this user may use the admin but has no second factor yet."""
    if not settings.RETEX_ADMIN_REQUIRES_MFA:
        return False
    if not can_use_admin(user) or is_exempt(user):
        return False
    return not has_second_factor(user)
