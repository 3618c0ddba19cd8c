"""Staff and editors reach the Wagtail admin only with two-factor authentication.

Any request under the admin's URL from somebody who may use the admin but has no
authenticator yet is redirected to allauth's authenticator-app set-up page, with a
message saying why. The set-up, re-authentication and logout pages live under
`/accounts/` and stay reachable; so does the admin's own logout. Once the app is
set up (which proves the person holds it), the admin opens; later logins go
through allauth's two steps, password then code.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from members.mfa import must_set_up_mfa_for_admin

MFA_REQUIRED_MESSAGE = _(
    "L'administration du site est réservée aux comptes protégés par "
    "l'authentification à deux facteurs. Activez-la avec une application "
    "d'authentification sur votre téléphone (par exemple FreeOTP, Aegis ou "
    "Google Authenticator), puis revenez à l'administration."
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

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        path = request.path_info
        if not path.startswith(self.admin_prefix) or path in self.open_paths:
            return False
        return must_set_up_mfa_for_admin(request.user)
