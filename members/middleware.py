"""Staff and editors reach the Wagtail admin only with two-factor authentication.

Any request under the admin's URL from somebody who may use the admin

- but has no authenticator yet is redirected to allauth's authenticator-app
  set-up page, with a message saying why;
- has one, but whose session did not pass it (a session opened before this rule,
  or by any door other than allauth's two steps), is redirected to allauth's
  re-authentication by code, then back to the page asked for.

The set-up, re-authentication and logout pages live under `/accounts/` and stay
reachable; so does the admin's own logout. Setting the app up counts as passing
it for the session (a valid code was just typed); later logins go through
allauth's two steps, password then code.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from members.mfa import (
    CONFIRM,
    SECOND_FACTORS,
    SET_UP,
    admin_mfa_step,
    record_mfa_set_up,
)

MFA_REQUIRED_MESSAGE = _(
    "L'administration du site est réservée aux comptes protégés par "
    "l'authentification à deux facteurs. Activez-la avec une application "
    "d'authentification sur votre téléphone (par exemple FreeOTP, Aegis ou "
    "Google Authenticator), puis revenez à l'administration."
)
MFA_CONFIRM_MESSAGE = _(
    "Pour accéder à l'administration du site, saisissez le code affiché par "
    "votre application d'authentification."
)


class AdminRequiresMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    @cached_property
    def open_paths(self) -> frozenset[str]:
        """Admin URLs that stay open: leaving, and the login redirect."""
        return frozenset(
            {reverse("wagtailadmin_logout"), reverse("wagtailadmin_login")}
        )

    @cached_property
    def activate_path(self) -> str:
        return reverse("mfa_activate_totp")

    def __call__(self, request):
        step = self._admin_mfa_step(request)
        if step == SET_UP:
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return redirect("mfa_activate_totp")
        if step == CONFIRM:
            messages.info(request, MFA_CONFIRM_MESSAGE)
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
        if request.method == "POST" and request.path_info == self.activate_path:
            return self._set_up(request)
        return self.get_response(request)

    def _admin_mfa_step(self, request) -> str | None:
        path = request.path_info
        if not path.startswith(self.admin_prefix) or path in self.open_paths:
            return None
        return admin_mfa_step(request)

    def _set_up(self, request):
        """allauth's set-up page: an app added here counts as passed."""
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        before = list(self._second_factors(user).values_list("pk", flat=True))
        response = self.get_response(request)
        added = self._second_factors(user).exclude(pk__in=before).first()
        if added is not None:
            record_mfa_set_up(request, added)
        return response

    @staticmethod
    def _second_factors(user):
        return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS)
