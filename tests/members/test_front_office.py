"""Representatives edit their collectivity's profile from Mon espace; every change
waits for the editors' review (« Relecture ») before it is published."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.models import WorkflowState

from members.front_office import richtext_from_text, text_from_richtext
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityContact,
    MembershipStatus,
)
from tests.factories import (
    CollectivityPageFactory,
    ThemeFactory,
    UserFactory,
    verified_person,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def lannion(section):
    page = CollectivityPageFactory(
        parent=section("membres"),
        title="Ville de Lannion",
        siren="212201131",
        department="22",
        presentation="<p>Ville <a href='https://lannion.bzh'>du Trégor</a>.</p>",
        membership_status=MembershipStatus.ACTIVE,
    )
    page.contacts = [CollectivityContact(name="Anne Kervella", function="DGS")]
    return publish(page)


def person_of(collectivity, email, role):
    user = verified_person(email, first_name="Sophie", last_name="Leroy")
    Affiliation.objects.create(
        user=user,
        collectivity=collectivity,
        status=AffiliationStatus.APPROVED,
        role=role,
    )
    return user


@pytest.fixture
def representative(lannion):
    return person_of(lannion, "sophie@lannion.fr", AffiliationRole.REPRESENTATIVE)


def url(collectivity):
    return f"/mon-espace/collectivite/{collectivity.pk}/profil/"


def form_data(**changes):
    data = {
        "presentation": "Ville du Trégor.",
        "website": "https://lannion.bzh",
        "roadmap_adopted": "on",
        "roadmap_date": "2025-03-15",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "1",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
        "contacts-0-name": "Anne Kervella",
        "contacts-0-function": "DGS",
        "contacts-1-name": "Yann Le Goff",
        "contacts-1-function": "DSI",
        "contacts-1-email": "dsi@lannion.fr",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def png(name="logo.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 40), "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_change_waits_for_review_and_the_live_profile_stays(
    client, lannion, representative
):
    theme = ThemeFactory(name="Thème du guichet", slug="theme-du-guichet")
    client.force_login(representative)

    response = client.post(url(lannion), form_data(themes=[theme.pk]))

    assert response.status_code == 302
    lannion.refresh_from_db()
    # Live: unchanged until an editor approves.
    assert not lannion.roadmap_adopted
    assert [c.name for c in lannion.contacts.all()] == ["Anne Kervella"]
    assert lannion.has_unpublished_changes
    draft = lannion.get_latest_revision_as_object()
    assert draft.roadmap_adopted
    assert str(draft.roadmap_date) == "2025-03-15"
    assert [c.name for c in draft.contacts.all()] == ["Anne Kervella", "Yann Le Goff"]
    assert list(draft.themes.all()) == [theme]
    # The editors' formatting survives an unchanged text.
    assert "<a href" in draft.presentation
    state = lannion.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Relecture"
    public = visible_text(client.get(lannion.url).content.decode())
    assert "Yann Le Goff" not in public

    space = visible_text(client.get("/mon-espace/").content.decode())
    assert "Modifier le profil de la Ville de Lannion — En relecture" in space

    # An editor approves: the change is published.
    editor = UserFactory(is_staff=True, is_superuser=True)
    state.current_task_state.approve(user=editor)
    lannion = type(lannion).objects.get(pk=lannion.pk)
    assert lannion.roadmap_adopted
    assert [c.name for c in lannion.contacts.all()] == ["Anne Kervella", "Yann Le Goff"]
    assert "Publiée" in visible_text(client.get("/mon-espace/").content.decode())


def test_official_fields_are_not_in_the_form_nor_changed(
    client, lannion, representative
):
    client.force_login(representative)
    page = client.get(url(lannion)).content.decode()
    for name in ("siren", "kind", "region", "department", "membership_status"):
        assert f'name="{name}"' not in page

    client.post(url(lannion), form_data(siren="000000000", region="11", kind="region"))
    lannion.refresh_from_db()
    draft = lannion.get_latest_revision_as_object()
    assert (draft.siren, draft.region, draft.kind) == ("212201131", "53", "commune")


def test_a_second_change_restarts_the_review_on_the_new_revision(
    client, lannion, representative
):
    client.force_login(representative)
    client.post(url(lannion), form_data(presentation="Premier texte."))
    client.post(url(lannion), form_data(presentation="Second texte."))

    states = WorkflowState.objects.for_instance(lannion)
    assert states.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    current = states.get(status=WorkflowState.STATUS_IN_PROGRESS)
    editor = UserFactory(is_staff=True, is_superuser=True)
    current.current_task_state.approve(user=editor)
    lannion = type(lannion).objects.get(pk=lannion.pk)
    assert lannion.presentation == "<p>Second texte.</p>"


def test_bad_input_is_explained_in_french_and_nothing_is_submitted(
    client, lannion, representative
):
    client.force_login(representative)
    revisions = lannion.revisions.count()

    response = client.post(
        url(lannion),
        form_data(
            roadmap_adopted=None,
            website="pas une adresse",
            **{"contacts-1-name": "", "contacts-1-email": "pas-un-courriel"},
        ),
    )

    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Cochez « feuille de route adoptée »" in text
    assert "Indiquez une adresse web valide." in text
    assert "Indiquez une adresse électronique valide." in text
    assert lannion.revisions.count() == revisions
    assert not WorkflowState.objects.for_instance(lannion).exists()


def test_uploads_get_the_documents_checks(client, lannion, representative):
    client.force_login(representative)
    fake_pdf = SimpleUploadedFile(
        "feuille-de-route.pdf", b"<html><script>alert(1)</script></html>"
    )
    response = client.post(url(lannion), {**form_data(), "roadmap_document": fake_pdf})
    assert "Ce fichier n'est pas un PDF valide." in visible_text(
        response.content.decode()
    )
    assert not get_document_model().objects.exists()

    real_pdf = SimpleUploadedFile("feuille-de-route.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        url(lannion), {**form_data(), "roadmap_document": real_pdf, "logo": png()}
    )
    assert response.status_code == 302, visible_text(response.content.decode())
    lannion.refresh_from_db()
    draft = lannion.get_latest_revision_as_object()
    assert visible_text(draft.roadmap_document.title) == (
        "Feuille de route numérique : Ville de Lannion"
    )
    assert draft.logo is not None


def test_only_its_representatives_reach_the_form(client, lannion, section):
    member = person_of(lannion, "marc@lannion.fr", AffiliationRole.MEMBER)
    other = CollectivityPageFactory(parent=section("membres"), title="Ville de Brest")
    other_representative = person_of(
        other, "rep@brest.fr", AffiliationRole.REPRESENTATIVE
    )

    assert client.get(url(lannion)).status_code == 302  # To the login page.
    for person in (member, other_representative):
        client.force_login(person)
        assert client.get(url(lannion)).status_code == 404
        assert client.post(url(lannion), form_data()).status_code == 404
    assert not WorkflowState.objects.for_instance(lannion).exists()
    for value in ("abc", str(2**70)):
        assert (
            client.get(f"/mon-espace/collectivite/{value}/profil/").status_code == 404
        )


def test_rich_text_round_trip():
    html = richtext_from_text("Premier <paragraphe>.\nligne 2\n\nSecond.")
    assert html == "<p>Premier &lt;paragraphe&gt;.<br/>ligne 2</p><p>Second.</p>"
    assert text_from_richtext(html) == "Premier <paragraphe>.\nligne 2\n\nSecond."
