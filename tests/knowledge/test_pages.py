"""Reading knowledge pages: each kind shows what its readers need."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from knowledge.models import Interviewee, InterviewPage, KnowledgeKind
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    InterviewPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_an_article_shows_kind_date_reading_time_themes_and_body(client, section):
    theme = ThemeFactory(name="Cybersécurité", slug="cybersecurite")
    article = ArticlePageFactory(
        parent=section("ressources"),
        title="Se préparer à une attaque par rançongiciel",
        body=[("paragraph", "<p>" + "mot " * 450 + "</p>")],
    )
    article.themes = [theme]
    publish(article)

    text = visible_text(client.get(article.url).content.decode())

    assert article.kind == KnowledgeKind.ARTICLE
    assert "Article" in text
    assert "3 minutes de lecture" in text
    assert "Cybersécurité" in text


def test_an_interview_shows_its_interviewees_linked_to_member_profiles(client, section):
    member = CollectivityPageFactory(
        parent=section("membres"), title="Ville de Lannion"
    )
    interview = InterviewPageFactory(
        parent=section("ressources"),
        body=[
            (
                "question_answer",
                {"question": "Par où commencer ?", "answer": "<p>Par les usages.</p>"},
            )
        ],
    )
    interview.interviewees = [
        Interviewee(name="Anne Kervella", function="maire", collectivity=member),
        Interviewee(name="Paul Mercier", function="DSI", collectivity_name="SDIS 22"),
    ]
    publish(interview)

    html = client.get(interview.url).content.decode()
    text = visible_text(html)

    assert "Anne Kervella, maire, Ville de Lannion" in text
    assert f'href="{member.url}"' in html
    assert "Paul Mercier, DSI, SDIS 22" in text
    assert '<h2 class="qa__question">Par où commencer ?</h2>' in html
    assert "Propos recueillis par Claire Dubois" in text
    assert InterviewPage.objects.get().kind == KnowledgeKind.INTERVIEW


def test_a_practice_shows_its_sections_and_hides_its_contact_from_visitors(
    client, section
):
    member = CollectivityPageFactory(parent=section("membres"), title="CC du Mormal")
    practice = PracticePageFactory(parent=section("ressources"), collectivity=member)

    anonymous = visible_text(client.get(practice.url).content.decode())
    assert "Contexte" in anonymous
    assert "Un territoire rural sans lieu d'accès au numérique." in anonymous
    assert "CC du Mormal" in anonymous
    assert "réservé aux membres" in anonymous
    assert "jeanne.legoff@cc-exemple.fr" not in anonymous
    assert "Jeanne Le Goff" not in anonymous

    outsider = UserFactory()
    client.force_login(outsider)
    assert "jeanne.legoff" not in client.get(practice.url).content.decode()

    member_user = UserFactory()
    member_user.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member_user)
    text = visible_text(client.get(practice.url).content.decode())
    assert "Jeanne Le Goff" in text
    assert "jeanne.legoff@cc-exemple.fr" in text


def test_hero_image_needs_alternative_text(section):
    from django.core.exceptions import ValidationError
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="Atelier", file=get_test_image_file()
    )
    article = ArticlePageFactory(parent=section("ressources"))
    article.hero_image = image
    article.hero_image_alt = "  "
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "hero_image_alt" in error.value.message_dict


def test_related_content_shares_themes_and_respects_visibility(client, section):
    inclusion = ThemeFactory(slug="inclusion-numerique")
    data = ThemeFactory(slug="donnees")
    index = section("ressources")
    page = ArticlePageFactory(parent=index, title="Page lue")
    close = ArticlePageFactory(parent=index, title="Très proche")
    loose = ArticlePageFactory(parent=index, title="Un peu proche")
    unrelated = ArticlePageFactory(parent=index, title="Sans rapport")
    secret = ArticlePageFactory(parent=index, title="Réservé proche")
    for item, themes in [
        (page, [inclusion, data]),
        (close, [inclusion, data]),
        (loose, [data]),
        (unrelated, []),
        (secret, [inclusion, data]),
    ]:
        item.themes = themes
        publish(item)
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])

    html = client.get(page.url).content.decode()
    related = html[html.index('id="related-title"') :]

    assert related.index("Très proche") < related.index("Un peu proche")
    assert "Sans rapport" not in related
    assert "Réservé proche" not in related


def test_members_only_page_shows_a_teaser_and_a_login_prompt(client, section):
    page = ArticlePageFactory(
        parent=section("ressources"),
        title="Compte rendu du séminaire des DSI",
        lead="Ce que les DSI ont partagé.",
        body=[("paragraph", "<p>Contenu confidentiel du séminaire.</p>")],
    )
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])

    response = client.get(page.url)
    text = visible_text(response.content.decode())
    assert response.status_code == 403
    assert "Compte rendu du séminaire des DSI" in text
    assert "Ce que les DSI ont partagé." in text
    assert "Se connecter" in text
    assert "Contenu confidentiel" not in text
    assert "no-store" in response["Cache-Control"]

    client.force_login(UserFactory())
    response = client.get(page.url)
    assert response.status_code == 403
    assert "Contenu confidentiel" not in response.content.decode()

    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Contenu confidentiel du séminaire." in visible_text(
        response.content.decode()
    )
