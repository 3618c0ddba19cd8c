"""A NUL byte in a URL's path or query string is a 404 or a form error, never a
server error (PostgreSQL refuses NUL in a string literal: any lookup by such a
value used to answer 500 there)."""

import pytest
from allauth.account.models import EmailAddress

from events.feeds import reset_calendar_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = [
    "/mon-espace/agenda/%00.ics",
    "/mon-espace/agenda/abc%00def.ics",
    "/accounts/password/reset/key/%00-%00/",
    "/accounts/confirm-email/%00/",
    "/ressources/%00/",
    "/evenements/%00/evenement.ics",
]
ANSWERED = [
    "/accounts/password/reset/key/1-set%00password/",  # allauth: "bad link".
    "/attestations/verifier/?code=%00",
    "/attestations/verifier/?code=K7QM-2XRT-P9W%00",
    "/recherche/?q=%00",
    "/api/search/?q=a%00b",
    "/api/search/suggest/?q=%00",
    "/evenements/?theme=%00&kind=%00&region=%00",
    "/evenements/agenda.ics?theme=%00",
    "/ressources/?theme=%00&type=%00",
    "/membres/?theme=%00&region=%00&q=%00",
    "/membres/export.json?theme=%00",
    "/membres/export.csv?region=%00",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_a_nul_in_a_secret_or_a_path_is_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ANSWERED)
def test_a_nul_in_a_query_string_is_answered(client, url):
    assert client.get(url).status_code in (200, 400)


def test_the_private_feed_still_opens_with_its_token(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    token = reset_calendar_token(user).token
    assert client.get(f"/mon-espace/agenda/{token}.ics").status_code == 200
    assert client.get(f"/mon-espace/agenda/{token}%00.ics").status_code == 404
