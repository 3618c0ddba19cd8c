"""A practice sheet downloaded as PDF (issue 20): who may, what it says, its name."""

import io

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from tests.factories import PracticePageFactory, UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def member():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Membres"))
    return user


@pytest.fixture
def practice(section):
    return PracticePageFactory(
        parent=section("ressources"),
        title="Un tiers-lieu numérique en milieu rural",
        slug="tiers-lieu-rural",
        objectives="<p>Offrir un accès au numérique à moins de 15 minutes.</p>",
        lessons='<p>Voir <a href="https://exemple.fr/guide">le guide</a>.</p>',
    )


def test_the_practice_page_links_to_its_sheet_which_downloads_as_a_named_pdf(
    client, practice
):
    html = client.get(practice.url).content.decode()
    assert f'href="/ressources/fiche/{practice.pk}.pdf"' in html
    assert "Télécharger la fiche (PDF)" in visible_text(html)

    response = client.get(f"/ressources/fiche/{practice.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="fiche-tiers-lieu-rural.pdf"'
    )
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert "Un tiers-lieu numérique en milieu rural" in text
    assert "Objectifs" in text and "moins de 15 minutes" in text
    assert "le guide (https://exemple.fr/guide)" in text
    assert "Fiche en ligne" in text


def test_the_contact_is_in_the_sheet_for_members_only(client, practice):
    anonymous = pdf_text(client.get(f"/ressources/fiche/{practice.pk}.pdf"))
    assert "jeanne.legoff@cc-exemple.fr" not in anonymous
    assert "Jeanne Le Goff" not in anonymous

    client.force_login(member())
    text = pdf_text(client.get(f"/ressources/fiche/{practice.pk}.pdf"))
    assert "Jeanne Le Goff" in text
    assert "jeanne.legoff@cc-exemple.fr" in text


def test_a_members_only_practice_sheet_is_for_members_only(client, practice):
    restriction = PageViewRestriction.objects.create(
        page=practice, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    url = f"/ressources/fiche/{practice.pk}.pdf"

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(member())
    assert client.get(url).status_code == 200


def test_a_draft_or_another_page_has_no_sheet(client, practice, section):
    practice.unpublish()
    assert client.get(f"/ressources/fiche/{practice.pk}.pdf").status_code == 404
    index = section("ressources")
    assert client.get(f"/ressources/fiche/{index.pk}.pdf").status_code == 404
    assert client.post(f"/ressources/fiche/{practice.pk}.pdf").status_code == 405
