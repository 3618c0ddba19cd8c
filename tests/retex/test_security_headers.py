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


def test_public_pages_cannot_be_framed_but_admin_previews_can(client, section):
    from tests.factories import ArticlePageFactory, UserFactory, give_mfa

    page = ArticlePageFactory(parent=section("ressources"))
    public = client.get(page.url)
    assert public["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]

    client.force_login(give_mfa(UserFactory(is_staff=True, is_superuser=True)))
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert preview.status_code == 200
    # The editor's preview panel frames it, from the same origin only.
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "Content-Security-Policy" not in preview


def test_production_sends_hsts_and_redirects_to_https(tmp_path):
    """The real production settings (DEBUG=0), in a fresh process."""
    from tests.retex.test_settings import PRODUCTION, manage

    script = (
        "from django.test import Client; c = Client(HTTP_HOST='retex.example.org'); "
        "r = c.get('/robots.txt', secure=True); "
        "print(r.status_code, r['Strict-Transport-Security'], r['X-Frame-Options']); "
        "r = c.get('/robots.txt'); print(r.status_code, r['Location'])"
    )
    result = manage("shell", "-c", script, env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    secure, plain = result.stdout.strip().splitlines()[-2:]
    assert secure == "200 max-age=31536000; includeSubDomains; preload DENY"
    assert plain == "301 https://retex.example.org/robots.txt"


def test_production_cookies_are_secure_and_not_readable_by_scripts(tmp_path):
    from tests.retex.test_settings import PRODUCTION, manage

    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
    ]
    script = "from django.conf import settings as s; " + "; ".join(
        f"print(s.{name})" for name in names
    )
    result = manage("shell", "-c", script, env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    values = result.stdout.strip().splitlines()[-len(names) :]
    assert values == ["True", "True", "True", "Lax", "Lax", "True"]
