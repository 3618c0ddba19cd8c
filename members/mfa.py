"""Two-factor authentication (MFA) for the people who run the site.

allauth handles MFA itself (set-up pages, the code asked after the password), but
has no way to make it compulsory. Retex makes it compulsory for staff and editors
before they use the Wagtail admin: `members.middleware` asks these questions.

Owning an authenticator app is not enough: the admin opens to a session that
*passed* the second factor. allauth keeps, in the session, a record of each way
the person proved who they are since signing in ("password", "mfa"…); a session
opened by a password alone, by another login form, or before these records
existed, has no "mfa" record and must give the app's code again.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

# Authenticators that are a second factor on their own. Recovery codes only stand
# in for one, and allauth's login asks for a code only when one of these exists.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# What the admin still needs from a session (see `admin_mfa_step`).
SET_UP = "set_up"
CONFIRM = "confirm"


def can_use_admin(user) -> bool:
    """Staff, or anybody with Wagtail's "access admin" permission (editors)."""
    return user.is_authenticated and (
        user.is_staff or user.has_perm("wagtailadmin.access_admin")
    )


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, types=list(SECOND_FACTORS))


def session_passed_mfa(request) -> bool:
    """Whether this session's person gave a second factor since signing in.

    allauth's login records "mfa" after the code, its re-authentication page
    records it too; `record_mfa_set_up` records it when the app is set up.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def record_mfa_set_up(request, authenticator) -> None:
    """Setting up an app proves the person holds it (a valid code was typed, after
    the password was asked again): the session counts as having passed MFA."""
    record_authentication(
        request,
        request.user,
        "mfa",
        id=authenticator.pk,
        type=authenticator.type,
        activated=True,
    )


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


def admin_mfa_step(request) -> str | None:
    """What this session must do before the admin opens, or None.

    `SET_UP`: the person may use the admin but has no authenticator app yet.
    `CONFIRM`: they have one, but this session has not passed it.
    """
    user = request.user
    if must_set_up_mfa_for_admin(user):
        return SET_UP
    if not settings.RETEX_ADMIN_REQUIRES_MFA:
        return None
    if not can_use_admin(user) or is_exempt(user):
        return None
    if not session_passed_mfa(request):
        return CONFIRM
    return None
