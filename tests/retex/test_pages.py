"""Every page type renders in French, in the site's layout, for a visitor."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from events.models import EventIndexPage, EventPage
from knowledge.models import ArticlePage, KnowledgeIndexPage
from letter.models import LetterIndexPage
from members.models import CollectivityPage, MemberIndexPage
from retex.models import HomePage, StandardPage
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    StandardPageFactory,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def assert_site_layout(html: str) -> None:
    assert '<html lang="fr"' in html
    assert 'href="#contenu"' in html  # skip link
    assert 'id="contenu"' in html
    assert 'aria-label="Menu principal"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1, "one h1 per page"


def test_the_migration_creates_the_sections_at_their_contract_urls(home_page):
    urls = {p.specific_class: p.url for p in home_page.get_children()}
    assert urls == {
        KnowledgeIndexPage: "/ressources/",
        MemberIndexPage: "/membres/",
        EventIndexPage: "/evenements/",
        LetterIndexPage: "/lettre/",
    }
    assert home_page.url == "/"


@pytest.mark.parametrize(
    "url", ["/", "/ressources/", "/membres/", "/evenements/", "/lettre/"]
)
def test_home_and_section_pages_render_even_when_empty(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_site_layout(response.content.decode())


def test_home_page_shows_latest_resources_next_events_and_member_numbers(
    client, section
):
    ArticlePageFactory(parent=section("ressources"), title="Feuille de route inclusion")
    EventPageFactory(parent=section("evenements"), title="Table ronde données")
    CollectivityPageFactory(parent=section("membres"), population=12_000)
    CollectivityPageFactory(parent=section("membres"), population=30_500)

    html = client.get("/").content.decode()
    text = visible_text(html)

    assert "Feuille de route inclusion" in text
    assert "Table ronde données" in text
    assert "2 collectivités membres" in text
    assert "42 500 habitants concernés" in text
    assert "1 région" in text
    assert 'role="search"' in html


def test_home_page_leaves_out_drafts_past_events_and_restricted_pages(client, section):
    draft = ArticlePageFactory(parent=section("ressources"), title="Brouillon secret")
    draft.unpublish()
    restricted = ArticlePageFactory(parent=section("ressources"), title="Réservé")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.LOGIN
    )
    past_start = timezone.now() - datetime.timedelta(days=3)
    EventPageFactory(
        parent=section("evenements"),
        title="Webinaire passé",
        start=past_start,
        end=past_start + datetime.timedelta(hours=2),
    )

    html = client.get("/").content.decode()

    assert "Brouillon secret" not in html
    assert "Réservé" not in html
    assert "Webinaire passé" not in html


@pytest.mark.parametrize(
    ("factory", "section_slug", "model"),
    [
        (ArticlePageFactory, "ressources", ArticlePage),
        (CollectivityPageFactory, "membres", CollectivityPage),
        (EventPageFactory, "evenements", EventPage),
    ],
)
def test_content_pages_render_with_breadcrumbs(
    client, section, factory, section_slug, model
):
    page = factory(parent=section(section_slug))
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert isinstance(page, model)
    assert_site_layout(html)
    assert "Fil d'Ariane" in html or "Fil d&#x27;Ariane" in html
    assert f'<span aria-current="page">{escape(page.title)}</span>' in html


def test_standard_page_renders_its_body_blocks(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title="Accessibilité",
        body=[
            ("heading", {"text": "État de conformité", "level": "h2"}),
            ("paragraph", "<p>Le site est partiellement conforme au RGAA.</p>"),
            (
                "quote",
                {"quote": "Le numérique pour tous.", "author": "Une élue", "role": ""},
            ),
            ("callout", {"kind": "tip", "title": "", "text": "<p>Contactez-nous.</p>"}),
        ],
    )
    html = client.get(page.url).content.decode()
    assert "<h2>État de conformité</h2>" in html
    assert "partiellement conforme au RGAA" in html
    assert "<blockquote>" in html
    assert "Conseil" in html
    assert isinstance(page, StandardPage)


def test_event_dates_are_written_in_french_in_paris_time(client, section):
    paris = datetime.timezone(datetime.timedelta(hours=1))
    start = datetime.datetime(2030, 3, 14, 9, 30, tzinfo=paris)
    event = EventPageFactory(
        parent=section("evenements"),
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    text = visible_text(client.get(event.url).content.decode())
    assert "jeudi 14 mars 2030, de 9 h 30 à 12 h 30" in text


def test_the_first_of_the_month_is_written_1er(client, section):
    start = datetime.datetime(2030, 3, 1, 14, 0, tzinfo=datetime.UTC)
    event = EventPageFactory(
        parent=section("evenements"),
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    text = visible_text(client.get(event.url).content.decode())
    assert "vendredi 1er mars 2030, de 15 h à 17 h" in text


def test_unknown_url_gets_a_french_404_in_the_site_design(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert_site_layout(html)


def test_pagination_with_a_malformed_page_number_shows_a_page(client, section):
    ArticlePageFactory(parent=section("ressources"), title="Tiers-lieux en Bretagne")
    for value in ["abc", "-1", "999999", "1e9"]:
        response = client.get("/ressources/", {"page": value})
        assert response.status_code == 200
        assert "Tiers-lieux en Bretagne" in response.content.decode()


def test_page_tree_rules_keep_each_section_in_its_place(home_page):
    assert HomePage.can_exist_under(home_page.get_parent().specific)
    assert ArticlePage.allowed_parent_page_models() == [KnowledgeIndexPage]
    assert EventPage.allowed_parent_page_models() == [EventIndexPage]
    assert CollectivityPage.allowed_parent_page_models() == [MemberIndexPage]
    assert not KnowledgeIndexPage.can_create_at(home_page)  # one per site
