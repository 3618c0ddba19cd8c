"""Errors are read where they belong: a group of choices is described by its
errors (Django links them to nothing), and a request with a bad message shows
its error beside the chosen collectivity."""

import re

import pytest

from tests.factories import CollectivityPageFactory, verified_person
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_each_choice_of_a_group_in_error_is_described_by_the_error(client):
    html = client.post("/accounts/signup/", {"email": "x@exemple.fr"}).content.decode()
    radios = re.findall(r'<input type="radio"[^>]*name="status"[^>]*>', html)
    assert radios
    for radio in radios:
        assert 'aria-invalid="true"' in radio
        assert "id_status_error" in radio
    assert 'id="id_status_error"' in html


def test_a_too_long_message_keeps_the_chosen_collectivity_and_says_why(client, section):
    place = CollectivityPageFactory(parent=section("membres"), title="Ville de Lannion")
    client.force_login(verified_person("a.le-goff@exemple.fr"))
    response = client.post(
        "/mon-espace/rattachement/",
        {"collectivity": place.pk, "message": "x" * 1001},
    )
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Demander mon rattachement à la Ville de Lannion" in text
    assert "1000 caractères" in text
    assert not place.affiliations.exists()
