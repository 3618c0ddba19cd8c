"""Security headers on every response of the public site."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/ressources/", "/accounts/login/", "/recherche/?q=x"]
)
def test_public_pages_send_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert "<script " not in html or 'src="' in html.split("<script ")[1].split(">")[0]
