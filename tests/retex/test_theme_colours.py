"""Theme colours (issue 20): each theme has one of a small palette, readable
(AA) as text on its tint, given by a stable rule and editable by editors, and
used wherever the theme is named, always with its name."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from retex.models import Theme, ThemeColour
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    UserFactory,
    give_mfa,
)
from tests.helpers import publish

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR, "site", "static", "css", "retex.css").read_text()


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("colour", ThemeColour.values)
def test_every_colour_is_readable_text_on_its_tint_and_on_white(colour):
    rule = re.search(
        rf"\.theme--{colour} \{{ --theme-ink: (#[0-9a-f]{{6}}); "
        rf"--theme-tint: (#[0-9a-f]{{6}}); \}}",
        CSS,
    )
    assert rule, f"no .theme--{colour} rule in retex.css"
    ink, tint = rule.groups()
    assert contrast(ink, tint) >= 4.5
    assert contrast(ink, "#ffffff") >= 4.5


def test_the_first_themes_cycle_through_the_palette_in_creation_order():
    # The themes a new site starts with (migration retex 0004), coloured by
    # migration 0006.
    colours = list(Theme.objects.order_by("pk").values_list("colour", flat=True))

    palette = ThemeColour.values
    assert len(colours) >= len(palette)
    assert colours == [palette[n % len(palette)] for n in range(len(colours))]


def test_a_new_theme_takes_the_next_colour_and_editors_may_change_it(client):
    client.force_login(give_mfa(UserFactory(is_staff=True, is_superuser=True)))
    count = Theme.objects.count()
    expected = ThemeColour.values[count % len(ThemeColour.values)]

    form = client.get("/admin/snippets/retex/theme/add/").content.decode()
    assert re.search(rf'<option value="{expected}"[^>]*selected', form)
    response = client.post(
        "/admin/snippets/retex/theme/add/",
        {"name": "Archives", "slug": "archives", "description": "", "colour": "teal"},
    )
    assert response.status_code == 302
    assert Theme.objects.get(slug="archives").colour == "teal"
    assert (
        Theme(name="Sans couleur choisie").colour
        == ThemeColour.values[(count + 1) % len(ThemeColour.values)]
    )


def test_pages_show_a_theme_in_its_colour_with_its_name(client, section):
    theme = Theme.objects.get(slug="donnees")
    theme.colour = ThemeColour.RASPBERRY
    theme.save()
    article = ArticlePageFactory(parent=section("ressources"), title="Open data")
    article.themes = [theme]
    publish(article)
    town = CollectivityPageFactory(parent=section("membres"), title="Ville de Vannes")
    town.themes = [theme]
    publish(town)

    chip = re.compile(r'class="tag theme theme--raspberry"[^>]*>Données<')
    assert chip.search(client.get(article.url).content.decode())
    assert chip.search(client.get(town.url).content.decode())
    filtered = client.get("/ressources/", {"theme": "donnees"}).content.decode()
    assert re.search(
        r'class="tag theme-heading theme theme--raspberry">Thème', filtered
    )
    assert '<li class="theme theme--raspberry">Données</li>' in filtered
