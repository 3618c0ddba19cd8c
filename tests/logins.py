"""`Client.force_login` stands for a complete login through allauth.

The admin opens only to sessions that passed the second factor (members/mfa.py),
which allauth records in the session at its login's second step. Tests that are
not about logging in use `force_login`; for people with an authenticator app it
would open a session that never gave the code, as no real login can. This
fixture makes `force_login` record what allauth's two steps would have recorded
(password, then the app's code for those who have one). Tests of the login
itself (tests/members/test_mfa.py, test_doors.py) post to the real forms.
"""

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.test import RequestFactory
from django.test.client import ClientMixin

from members.mfa import has_second_factor


def _record_complete_login(client, user) -> None:
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    if has_second_factor(user):
        record_authentication(request, user, "mfa", type="totp")
    request.session.save()


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_login(monkeypatch):
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        _record_complete_login(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
