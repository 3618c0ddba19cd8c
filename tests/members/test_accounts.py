"""Accounts: email as the login, allauth's pages in the site's design and in French."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from tests.factories import UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_users_log_in_with_their_email_whatever_its_case():
    user_model = get_user_model()
    user = user_model.objects.create_user(
        "Camille.Durand@Ville-Exemple.FR", "x-secret-2026"
    )
    assert user.email == "camille.durand@ville-exemple.fr"
    assert user_model.USERNAME_FIELD == "email"
    with pytest.raises(IntegrityError):
        user_model.objects.create_user("CAMILLE.DURAND@ville-exemple.fr", "x")


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Connexion"),
        ("/accounts/signup/", "Création de compte"),
        ("/accounts/password/reset/", "Mot de passe oublié"),
    ],
)
def test_account_pages_are_french_and_in_the_site_layout(client, url, heading):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert 'aria-label="Menu principal"' in html
    assert re.search(rf"<h1>\s*{heading}\s*</h1>", html)
    assert 'class="site-footer"' in html


def test_login_form_fields_are_labelled(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html


def test_header_offers_login_to_visitors_and_my_space_to_members(client):
    assert "Connexion" in visible_text(client.get("/").content.decode())
    client.force_login(UserFactory())
    text = visible_text(client.get("/").content.decode())
    assert "Mon espace" in text
    assert "Connexion" not in text


def test_my_space_needs_a_login(client):
    response = client.get("/mon-espace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/mon-espace/")
    user = UserFactory()
    client.force_login(user)
    assert user.email in client.get("/mon-espace/").content.decode()
