"""What editors get in the Wagtail admin for the knowledge base."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Workflow, WorkflowState

from knowledge.models import PracticePage
from retex.models import Theme
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
    give_mfa,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = give_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(user)
    return user


def test_new_sites_start_with_the_network_themes():
    assert {"inclusion-numerique", "cybersecurite", "sobriete-numerique"} <= set(
        Theme.objects.values_list("slug", flat=True)
    )


def test_editors_manage_themes_as_snippets(client, editor):
    response = client.get("/admin/snippets/retex/theme/")
    assert response.status_code == 200
    assert "Cybersécurité" in response.content.decode()


def test_theme_report_lists_pages_of_a_theme_and_exports_csv(client, editor, section):
    theme = ThemeFactory(slug="donnees-ouvertes", name="Données ouvertes")
    index = section("ressources")
    tagged = ArticlePageFactory(parent=index, title="Ouvrir les données")
    tagged.themes = [theme]
    tagged.save_revision().publish()
    ArticlePageFactory(parent=index, title="Autre chose")

    response = client.get("/admin/reports/ressources-par-theme/", {"themes": theme.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ouvrir les données" in html
    assert "Autre chose" not in html

    export = client.get(
        "/admin/reports/ressources-par-theme/", {"themes": theme.pk, "export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[1][0] == "Ouvrir les données"
    assert "Données ouvertes" in rows[1]


def test_a_practice_submitted_for_review_is_public_only_once_approved(client, section):
    index = section("ressources")
    practice = PracticePageFactory(parent=index, title="Notre tiers-lieu", live=False)
    practice.save_revision()
    representative = UserFactory()
    workflow = practice.get_workflow()
    assert workflow == Workflow.objects.get(name="Relecture")

    workflow.start(practice, representative)
    state = WorkflowState.objects.get(
        base_content_type__isnull=False, object_id=str(practice.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get("/ressources/").content.decode().count("Notre tiers-lieu") == 0
    assert client.get("/ressources/notre-tiers-lieu/").status_code == 404

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Modérateurs"))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    practice = PracticePage.objects.get(pk=practice.pk)
    assert practice.live
    assert "Notre tiers-lieu" in client.get("/ressources/").content.decode()


def test_editors_preview_drafts_of_every_page_type(client, editor, section):
    theme = ThemeFactory(slug="apercu")
    article = ArticlePageFactory(
        parent=section("ressources"), title="Brouillon à relire"
    )
    article.themes = [theme]
    revision = article.save_revision()
    response = client.get(f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
    assert client.get(f"/admin/pages/{article.pk}/view_draft/").status_code == 200
    member = CollectivityPageFactory(parent=section("membres"), title="Ville aperçue")
    member.themes = [theme]
    revision = member.save_revision()
    response = client.get(f"/admin/pages/{member.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
