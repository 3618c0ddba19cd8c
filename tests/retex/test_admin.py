"""The Wagtail admin: in French, entered only through allauth's login."""

import pytest

from tests.factories import UserFactory, give_mfa

pytestmark = pytest.mark.django_db


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_admin_speaks_french(client):
    admin = give_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html


def test_editor_can_open_every_page_type_in_the_editor(client, home_page, section):
    from tests.factories import (
        ArticlePageFactory,
        CollectivityPageFactory,
        EventPageFactory,
        StandardPageFactory,
    )

    client.force_login(give_mfa(UserFactory(is_staff=True, is_superuser=True)))
    pages = [
        home_page,
        section("ressources"),
        section("membres"),
        section("evenements"),
        StandardPageFactory(parent=home_page),
        ArticlePageFactory(parent=section("ressources")),
        CollectivityPageFactory(parent=section("membres")),
        EventPageFactory(parent=section("evenements")),
    ]
    for page in pages:
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
