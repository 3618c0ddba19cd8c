"""Resource cards vary by kind (issue 20): an interview's card shows the faces of
the people interviewed with their name and function, a practice's card its
collectivity (its logo when the practice has no illustration); the listing and
the home page still read them in a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge.models import Interviewee
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    InterviewPageFactory,
    PracticePageFactory,
    ThemeFactory,
)
from tests.helpers import publish
from tests.html import visible_text
from tests.knowledge.test_images import img_attrs, make_image, pictures

pytestmark = pytest.mark.django_db


def card_of(html: str, title: str) -> str:
    """The card (`<li class="card card--kind …">`) holding the link titled `title`."""
    for chunk in html.split('<li class="card card--kind')[1:]:
        card = chunk.split('class="feeds"')[0]
        if f">{title}</a>" in card:
            return card
    raise AssertionError(f"no card titled {title!r}")


def interview_with(index, title, people):
    interview = InterviewPageFactory(parent=index, title=title)
    interview.interviewees = [Interviewee(**person) for person in people]
    return publish(interview)


def test_an_interview_card_shows_the_face_name_and_function(client, section):
    index = section("ressources")
    town = publish(
        CollectivityPageFactory(parent=section("membres"), title="Ville de Lannion")
    )
    interview_with(
        index,
        "Une maire et son DSI",
        [
            {
                "name": "Anne Kervella",
                "function": "maire",
                "collectivity": town,
                "portrait": make_image("Anne", size=(400, 500)),
            },
            {"name": "Yann Le Bihan", "function": "DSI", "collectivity_name": "SIB"},
        ],
    )

    card = card_of(client.get(index.url).content.decode(), "Une maire et son DSI")

    text = visible_text(card)
    assert "Anne Kervella maire, Ville de Lannion" in text
    assert "Yann Le Bihan DSI, SIB" in text
    (face,) = pictures(card)  # Only the person with a portrait has a face.
    attrs = img_attrs(face)
    assert attrs["alt"] == ""  # Her name is beside it.
    assert attrs["class"] == "card-person__portrait"
    assert attrs["width"] == attrs["height"]  # Square, cut around the face.
    assert attrs["loading"] == "lazy"


def test_a_practice_card_shows_its_collectivity_and_logo_without_a_picture(
    client, section
):
    index = section("ressources")
    members = section("membres")
    with_logo = publish(
        CollectivityPageFactory(
            parent=members, title="Ville de Bellerive", logo=make_image("Blason")
        )
    )
    publish(
        PracticePageFactory(parent=index, title="Sans image", collectivity=with_logo)
    )
    publish(
        PracticePageFactory(
            parent=index,
            title="Avec image",
            collectivity=with_logo,
            hero_image=make_image("Salle"),
            hero_image_alt="Une salle",
        )
    )

    html = client.get(index.url).content.decode()

    plain = card_of(html, "Sans image")
    assert "Ville de Bellerive" in visible_text(plain)
    (logo,) = pictures(plain)
    assert img_attrs(logo)["class"] == "card__logo"
    assert img_attrs(logo)["alt"] == ""  # The collectivity's name is beside it.
    illustrated = card_of(html, "Avec image")
    assert "Ville de Bellerive" in visible_text(illustrated)
    (picture,) = pictures(illustrated)  # The illustration, not the logo too.
    assert img_attrs(picture)["class"] == "card__image"


def test_cards_name_their_themes_in_the_themes_colour(client, section):
    index = section("ressources")
    theme = ThemeFactory(slug="inclusion-numerique")
    article = ArticlePageFactory(parent=index, title="Un article")
    article.themes = [theme]
    publish(article)

    card = card_of(client.get(index.url).content.decode(), "Un article")

    assert f'<li class="theme theme--{theme.colour}">{theme.name}</li>' in card
    assert "Thèmes" in visible_text(card)


def test_listing_and_home_cost_the_same_queries_for_few_or_many_cards(client, section):
    index = section("ressources")
    members = section("membres")
    theme = ThemeFactory(slug="donnees")

    def add_one_of_each(number):
        town = publish(
            CollectivityPageFactory(
                parent=members, title=f"Ville {number}", logo=make_image(f"L{number}")
            )
        )
        interview_with(
            index,
            f"Entretien {number}",
            [
                {
                    "name": f"Personne {number}",
                    "function": "maire",
                    "collectivity": town,
                    "portrait": make_image(f"P{number}", size=(300, 300)),
                }
            ],
        )
        practice = PracticePageFactory(
            parent=index, title=f"Pratique {number}", collectivity=town
        )
        practice.themes = [theme]
        publish(practice)
        article = ArticlePageFactory(
            parent=index,
            title=f"Article {number}",
            hero_image=make_image(f"A{number}"),
            hero_image_alt="Une salle",
        )
        article.themes = [theme]
        publish(article)

    def count(url):
        client.get(url)  # Renditions made once, as prepare_renditions does.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    add_one_of_each(0)
    few_listing, _ = count(index.url)
    few_home, _ = count("/")
    for number in range(1, 4):
        add_one_of_each(number)
    many_listing, listing = count(index.url)
    many_home, home = count("/")

    assert many_listing == few_listing, (few_listing, many_listing)
    assert many_home == few_home, (few_home, many_home)
    assert len(re.findall(r'class="card-person__portrait"', listing)) == 4
    assert len(re.findall(r'class="card__logo"', listing)) == 4
    # The home page's latest resources are the same cards.
    assert 'class="card card--kind' in home
