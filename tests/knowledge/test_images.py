"""Images on pages: responsive, sized, described (or decorative), never external.

Also: the body's image block is Wagtail's ImageBlock, and bodies stored with the
former block still render after the data migration.
"""

import html
import importlib
import io
import json
import re

import pytest
from django.apps import apps as global_apps
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.db.models import JSONField, Value
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.blocks import StreamBlockValidationError
from wagtail.images import get_image_model
from wagtail.models import Revision

from knowledge.demo import load_articles
from knowledge.models import Interviewee, KnowledgePage
from retex.blocks import BodyBlock
from retex.demo_images import demo_coat_of_arms, demo_illustration, demo_portrait
from retex.images import prepare_renditions
from tests.factories import (
    ArticlePageFactory,
    EventPageFactory,
    InterviewPageFactory,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db

Image = get_image_model()


def make_image(title="Atelier", size=(1600, 900), colour="teal"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.png"))


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, flags=re.S)


def img_attrs(picture: str) -> dict[str, str]:
    tag = re.search(r"<img\b[^>]*>", picture).group(0)
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'([a-z-]+)="([^"]*)"', tag)
    }


def figure_body(**figure):
    image = figure.pop("image")
    return json.dumps(
        [
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": image.pk,
                        "alt_text": figure.get("alt_text", ""),
                        "decorative": figure.get("decorative", False),
                    },
                    "caption": figure.get("caption", ""),
                    "credit": figure.get("credit", ""),
                },
            }
        ]
    )


def test_a_body_image_is_a_sized_responsive_picture_with_its_alt_caption_and_credit(
    client, section
):
    image = make_image()
    article = ArticlePageFactory(
        parent=section("ressources"),
        body=figure_body(
            image=image,
            alt_text="Des agents en atelier autour d'un écran",
            caption="L'atelier de mars",
            credit="© Ville de Lannion",
        ),
    )
    publish(article)

    page = client.get(article.url).content.decode()

    (picture,) = pictures(page)
    attrs = img_attrs(picture)
    assert attrs["alt"] == "Des agents en atelier autour d'un écran"
    assert attrs["width"] and attrs["height"]
    assert attrs["loading"] == "lazy"  # Below the fold, in the body.
    assert "sizes" in attrs
    # Three widths in each of AVIF and WebP, and the JPEG fallback.
    assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
    assert re.findall(r"\d+w", attrs["srcset"]) == ["480w", "800w", "1200w"]
    assert attrs["src"].endswith(".jpg")
    text = visible_text(page)
    assert "L'atelier de mars" in text and "© Ville de Lannion" in text


def test_a_decorative_image_has_an_empty_alt(client, section):
    image = make_image(title="Motif bleu")
    article = ArticlePageFactory(
        parent=section("ressources"), body=figure_body(image=image, decorative=True)
    )
    publish(article)

    (picture,) = pictures(client.get(article.url).content.decode())

    assert img_attrs(picture)["alt"] == ""  # Never the file's title.


def test_an_image_block_needs_an_alt_unless_decorative():
    image = make_image()
    block = BodyBlock()

    def clean(alt_text, decorative):
        raw = json.loads(
            figure_body(image=image, alt_text=alt_text, decorative=decorative)
        )
        return block.clean(block.to_python(raw))

    with pytest.raises(StreamBlockValidationError):
        clean("", False)
    assert clean("", True)[0].value["image"].decorative is True
    assert clean("Un atelier", False)[0].value["image"].contextual_alt_text == (
        "Un atelier"
    )


def _migrate_bodies(app_label, migration_name):
    module = importlib.import_module(f"{app_label}.migrations.{migration_name}")
    for operation in module.Migration.operations:
        if hasattr(operation, "migrate_stream_data_forward"):
            operation.migrate_stream_data_forward(global_apps, None)


def test_bodies_stored_with_the_former_image_block_still_render(client, section):
    image = make_image()
    article = ArticlePageFactory(parent=section("ressources"))
    publish(article)
    former = [
        {
            "type": "image",
            "id": "a1",
            "value": {
                "image": image.pk,
                "alt_text": "Le conseil communautaire",
                "decorative": False,
                "caption": "Séance de juin",
            },
        }
    ]
    # The page and its latest revision as the former block stored them.
    KnowledgePage.objects.filter(pk=article.pk).update(
        body=Value(former, output_field=JSONField())
    )
    revision = Revision.objects.get(pk=article.latest_revision_id)
    revision.content["body"] = json.dumps(former)
    revision.save()

    _migrate_bodies("knowledge", "0005_images")

    page = client.get(article.url).content.decode()
    (picture,) = pictures(page)
    assert img_attrs(picture)["alt"] == "Le conseil communautaire"
    assert "Séance de juin" in visible_text(page)
    # The latest revision too: the editor's form opens on the migrated draft.
    revision.refresh_from_db()
    stored = json.loads(revision.content["body"])
    assert stored[0]["value"]["image"] == {
        "image": image.pk,
        "decorative": False,
        "alt_text": "Le conseil communautaire",
    }
    figure = revision.as_object().body[0].value
    assert figure["image"].contextual_alt_text == "Le conseil communautaire"
    assert figure["caption"] == "Séance de juin"


def test_the_illustration_is_the_eager_high_priority_image_with_its_alt(
    client, section
):
    article = ArticlePageFactory(
        parent=section("ressources"),
        hero_image=make_image(),
        hero_image_alt="Une carte des fibres optiques du département",
        hero_image_credit="© Département",
    )
    publish(article)

    page = client.get(article.url).content.decode()

    hero = pictures(page)[0]
    attrs = img_attrs(hero)
    assert attrs["alt"] == "Une carte des fibres optiques du département"
    assert attrs["loading"] == "eager" and attrs["fetchpriority"] == "high"
    assert (int(attrs["width"]), int(attrs["height"])) == (640, 320)
    assert "© Département" in visible_text(page)


def test_an_illustration_needs_an_alt_unless_it_is_decorative(section):
    from django.core.exceptions import ValidationError

    article = ArticlePageFactory.build(
        hero_image=make_image(), hero_image_alt="  ", hero_image_decorative=False
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["path", "depth", "slug", "content_type"])
    assert "hero_image_alt" in error.value.message_dict
    assert "Image décorative" in error.value.message_dict["hero_image_alt"][0]

    article.hero_image_decorative = True
    assert article.hero_alt == ""


def test_an_event_shows_its_visual_and_an_interview_its_faces(client, section):
    event = EventPageFactory(
        parent=section("evenements"),
        image=make_image(title="Salle"),
        image_alt="La salle du conseil",
    )
    publish(event)
    interview = InterviewPageFactory(parent=section("ressources"))
    interview.interviewees = [
        Interviewee(
            name="Anne Kervella", function="maire", portrait=make_image(size=(400, 500))
        )
    ]
    publish(interview)

    event_picture = pictures(client.get(event.url).content.decode())[0]
    interview_html = client.get(interview.url).content.decode()

    assert img_attrs(event_picture)["alt"] == "La salle du conseil"
    (portrait,) = pictures(interview_html)
    attrs = img_attrs(portrait)
    # Beside the name, which says who it is: decorative. Square, cut around
    # the focal point.
    assert attrs["alt"] == ""
    assert attrs["width"] == attrs["height"] == "96"
    assert "Anne Kervella" in interview_html


def _listing_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_card_images_cost_the_same_queries_for_two_or_six_cards(client, section):
    index = section("ressources")
    for i in range(2):
        publish(
            ArticlePageFactory(
                parent=index, hero_image=make_image(f"A{i}"), hero_image_alt="Salle"
            )
        )
    client.get(index.url)  # Renditions made once, as prepare_renditions does.
    two, _ = _listing_queries(client, index.url)
    for i in range(4):
        publish(
            ArticlePageFactory(
                parent=index, hero_image=make_image(f"B{i}"), hero_image_alt="Salle"
            )
        )
    client.get(index.url)
    six, page = _listing_queries(client, index.url)

    assert len(pictures(page)) == 6
    assert all(img_attrs(p)["loading"] == "lazy" for p in pictures(page))
    assert six == two


def test_no_image_url_leaves_the_site(client, section):
    article = ArticlePageFactory(
        parent=section("ressources"),
        hero_image=make_image(),
        hero_image_alt="Une salle",
        body=figure_body(image=make_image("Deux"), alt_text="Un écran"),
    )
    publish(article)

    page = client.get(article.url).content.decode()

    urls = [
        url.strip().split(" ")[0]
        for attr in re.findall(r'(?:src|srcset)="([^"]*)"', page)
        for url in attr.split(",")
    ]
    image_urls = [url for url in urls if "/media/" in url or "://" in url]
    assert image_urls
    assert all(url.startswith("/media/images/") for url in image_urls)


def test_demo_images_are_drawn_once_and_renditions_made_ahead():
    first = [
        demo_illustration("article-x"),
        demo_portrait("Anne Kervella"),
        demo_coat_of_arms("Ville de Lannion"),
    ]
    again = [
        demo_illustration("article-x"),
        demo_portrait("Anne Kervella"),
        demo_coat_of_arms("Ville de Lannion"),
    ]

    assert [i.pk for i in first] == [i.pk for i in again]
    assert Image.objects.count() == 3
    with first[2].open_file() as file, PILImage.open(file) as logo:
        mode = logo.mode
    assert mode == "RGBA"  # A coat of arms on a transparent background.
    assert first[1].has_focal_point()


def test_seed_demo_twice_adds_no_image(client):
    call_command("seed_demo", verbosity=0)
    count = Image.objects.count()
    call_command("seed_demo", verbosity=0)

    assert count > 0
    assert Image.objects.count() == count
    slugs = [data["slug"] for data in load_articles()]
    illustrated = KnowledgePage.objects.filter(
        slug__in=slugs, hero_image__isnull=False, hero_image_decorative=True
    )
    assert illustrated.count() == len(slugs)


def test_prepare_renditions_makes_every_rendition_a_page_asks_for_once(client, section):
    article = ArticlePageFactory(
        parent=section("ressources"),
        hero_image=make_image(),
        hero_image_alt="Une salle",
        body=figure_body(image=make_image("Deux"), alt_text="Un écran"),
    )
    publish(article)
    Rendition = Image.get_rendition_model()

    assert prepare_renditions() == 2
    made = Rendition.objects.count()
    assert prepare_renditions() == 2
    assert Rendition.objects.count() == made
    with CaptureQueriesContext(connection) as queries:
        client.get(article.url)
    assert Rendition.objects.count() == made  # The page made none.
    assert not [q for q in queries if "INSERT" in q["sql"] and "rendition" in q["sql"]]
