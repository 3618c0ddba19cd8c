"""Members propose a practice from Mon espace; it is published only once the
association's editors approve it (« Relecture »), and its author follows the
review and answers the editors' requests from Mon espace."""

import io
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.models import WorkflowState

from knowledge.models import PracticePage, PracticeProposal
from knowledge.proposals import practice_propose
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    MembershipStatus,
)
from retex.member_rich_text import (
    member_text_from_rich_text,
    rich_text_from_member_text,
)
from tests.factories import (
    CollectivityPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
    verified_person,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db

PROPOSE = "/mon-espace/pratiques/proposer/"


def edit_url(page):
    return f"/mon-espace/pratiques/{page.pk}/modifier/"


@pytest.fixture
def lannion(section):
    return publish(
        CollectivityPageFactory(
            parent=section("membres"),
            title="Ville de Lannion",
            membership_status=MembershipStatus.ACTIVE,
        )
    )


def person_of(collectivity, email, role=AffiliationRole.MEMBER, **fields):
    user = verified_person(email, first_name="Marc", last_name="Le Bihan", **fields)
    Affiliation.objects.create(
        user=user,
        collectivity=collectivity,
        status=AffiliationStatus.APPROVED,
        role=role,
    )
    return user


@pytest.fixture
def member(lannion):
    # A member, not a representative: anybody approved in a collectivity.
    return person_of(lannion, "marc@lannion.fr")


@pytest.fixture
def moderator():
    user = UserFactory(email="moderatrice@retex.localhost")
    user.groups.add(Group.objects.get(name="Modérateurs"))
    return user


def form_data(lannion, **changes):
    data = {
        "token": str(uuid.uuid4()),
        "title": "Un guichet numérique unique pour les habitants",
        "lead": "Comment Lannion a réuni ses démarches en ligne en un seul guichet.",
        "collectivity": str(lannion.pk),
        "status": "termine",
        "start_year": "2022",
        "budget_range": "10k-50k",
        "partners": "Lannion-Trégor Communauté",
        "context": "Trop de portails.\n\n- un pour l'état civil\n- un pour l'école",
        "actions": "Un guichet unique, voir [le site](https://lannion.bzh).",
        "lessons": "Commencer petit.",
        "contact_name": "Marc Le Bihan",
        "contact_function": "Chef de projet",
        "contact_email": "marc@lannion.fr",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def png(name="illustration.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 40), "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def proposal_of(user) -> PracticePage:
    return PracticeProposal.objects.get(author=user).page


def space(client) -> str:
    return visible_text(client.get("/mon-espace/").content.decode())


# --- Proposing ---------------------------------------------------------------------


def test_a_member_proposes_a_practice_that_waits_for_review(
    client, lannion, member, moderator, section
):
    theme = ThemeFactory(name="Démarches en ligne", slug="demarches-en-ligne")
    client.force_login(member)
    form = visible_text(client.get(PROPOSE).content.decode())
    assert "Proposer un retour d'expérience" in form

    response = client.post(
        PROPOSE,
        {
            **form_data(lannion, themes=[theme.pk]),
            "hero_image": png(),
            "hero_image_alt": "Le guichet à l'accueil de la mairie",
            "documents": [
                SimpleUploadedFile("bilan.pdf", b"%PDF-1.4\n%%EOF\n"),
                SimpleUploadedFile("notes.txt", b"Des notes."),
            ],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/mon-espace/#mes-propositions"
    page = proposal_of(member)
    # A draft child of the resources index, owned by its author.
    assert page.get_parent().specific == section("ressources")
    assert not page.live
    assert page.owner == member
    assert page.collectivity == lannion
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Un guichet numérique unique pour les habitants"
    assert draft.context == (
        "<p>Trop de portails.</p><ul><li>un pour l'état civil</li>"
        "<li>un pour l'école</li></ul>"
    )
    assert '<a href="https://lannion.bzh">le site</a>' in draft.actions
    assert list(draft.themes.all()) == [theme]
    assert draft.hero_image is not None
    assert draft.hero_image_alt == "Le guichet à l'accueil de la mairie"
    assert [d.label for d in draft.attached_documents.all()] == ["bilan", "notes"]
    # Submitted to « Relecture »; the moderators are told.
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Relecture"
    assert any("moderatrice@retex.localhost" in m.to for m in mail.outbox)

    text = space(client)
    assert "Votre retour d'expérience est envoyé en relecture" in text
    assert "Mes propositions" in text
    assert "Un guichet numérique unique pour les habitants" in text
    assert "En relecture" in text


def test_the_form_is_prefilled_with_the_person_and_their_collectivity(
    client, lannion, member, section
):
    other = publish(
        CollectivityPageFactory(parent=section("membres"), title="Ville de Brest")
    )
    client.force_login(member)
    page = client.get(PROPOSE).content.decode()
    assert 'value="Marc Le Bihan"' in page
    assert "Ville de Lannion" in page
    assert "Ville de Brest" not in page

    response = client.post(PROPOSE, form_data(lannion, collectivity=str(other.pk)))
    assert response.status_code == 200
    assert "Choisissez l'une des collectivités" in visible_text(
        response.content.decode()
    )
    assert not PracticeProposal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Champ requis."),
        ({"title": "x" * 201}, "au plus 200 caractères"),
        ({"lead": "y" * 601}, "au plus 600 caractères"),
        ({"context": "z" * 10_001}, "au plus 10000 caractères"),
        ({"title": "Un titre\x00caché"}, "caractère nul"),
        ({"actions": "Des actions\x00"}, "caractère nul"),
        ({"context": "", "actions": "", "lessons": ""}, "Décrivez au moins"),
        ({"start_year": "2999"}, "ne peut pas dépasser"),
        ({"start_year": "1900"}, "supérieure ou égale à 1980"),
        ({"contact_email": "pas-un-courriel"}, "adresse électronique valide"),
        ({"status": "inconnu"}, "Sélectionnez un choix valide"),
        ({"token": "pas-un-jeton"}, "Le formulaire a expiré"),
    ],
)
def test_bad_input_is_explained_in_french_and_nothing_is_created(
    client, lannion, member, changes, message
):
    client.force_login(member)
    response = client.post(PROPOSE, form_data(lannion, **changes))
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())
    assert not PracticeProposal.objects.exists()
    assert not PracticePage.objects.exists()


def test_an_image_needs_a_description_and_files_get_the_admins_checks(
    client, lannion, member
):
    client.force_login(member)
    response = client.post(
        PROPOSE, {**form_data(lannion), "hero_image": png(), "hero_image_alt": ""}
    )
    assert "Décrivez l'image, ou cochez « image décorative »" in visible_text(
        response.content.decode()
    )

    fake_pdf = SimpleUploadedFile("bilan.pdf", b"<html><script>alert(1)</script>")
    response = client.post(PROPOSE, {**form_data(lannion), "documents": [fake_pdf]})
    text = visible_text(response.content.decode())
    assert "bilan.pdf : Ce fichier n'est pas un PDF valide." in text
    assert not get_document_model().objects.exists()
    assert not PracticeProposal.objects.exists()

    response = client.post(
        PROPOSE,
        {**form_data(lannion), "hero_image": png(), "hero_image_decorative": "on"},
    )
    assert response.status_code == 302


def test_raw_html_is_never_kept(client, lannion, member):
    client.force_login(member)
    client.post(
        PROPOSE,
        form_data(
            lannion,
            context='<script>alert(1)</script> <img src=x onerror="alert(2)">',
            actions="[clic](javascript:alert(3)) **gras**",
        ),
    )
    draft = proposal_of(member).get_latest_revision_as_object()
    assert "<script" not in draft.context and "<img" not in draft.context
    assert "&lt;script&gt;" in draft.context
    assert "javascript:" not in draft.actions
    assert draft.actions == "<p>clic gras</p>"


def test_a_double_submit_creates_one_page(client, lannion, member):
    client.force_login(member)
    data = form_data(lannion)
    first = client.post(PROPOSE, data)
    second = client.post(PROPOSE, data)
    assert first.status_code == second.status_code == 302
    assert PracticePage.objects.count() == 1
    assert WorkflowState.objects.count() == 1


def test_the_service_answers_a_replayed_token_with_the_same_page(lannion, member):
    token = uuid.uuid4()
    values = {
        "title": "Un tiers-lieu",
        "lead": "Un lieu ouvert.",
        "collectivity": lannion,
        "actions": "<p>Ouvert.</p>",
    }
    page, created = practice_propose(user=member, token=token, values=values)
    again, created_again = practice_propose(user=member, token=token, values=values)
    assert (created, created_again) == (True, False)
    assert again.pk == page.pk


def test_two_proposals_with_one_title_get_their_own_address(client, lannion, member):
    client.force_login(member)
    client.post(PROPOSE, form_data(lannion))
    client.post(PROPOSE, form_data(lannion))
    slugs = sorted(PracticePage.objects.values_list("slug", flat=True))
    assert slugs == [
        "un-guichet-numerique-unique-pour-les-habitants",
        "un-guichet-numerique-unique-pour-les-habitants-2",
    ]


# --- Who may -----------------------------------------------------------------------


def test_anonymous_visitors_log_in_and_non_members_are_told_how_to_join(
    client, lannion, section
):
    response = client.get(PROPOSE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    newcomer = verified_person("nouvelle@ailleurs.fr")
    pending = verified_person("attente@lannion.fr")
    Affiliation.objects.create(
        user=pending, collectivity=lannion, status=AffiliationStatus.PENDING
    )
    lapsed = publish(
        CollectivityPageFactory(
            parent=section("membres"),
            title="Ville non adhérente",
            membership_status=MembershipStatus.LAPSED,
        )
    )
    former_member = person_of(lapsed, "ancien@ville.fr")
    for person in (newcomer, pending, former_member):
        client.force_login(person)
        for response in (
            client.get(PROPOSE),
            client.post(PROPOSE, form_data(lannion)),
        ):
            assert response.status_code == 403
            text = visible_text(response.content.decode())
            assert "réservées aux membres du réseau" in text
            assert "rattachement à votre collectivité" in text
    assert not PracticePage.objects.exists()


def test_someone_elses_proposal_answers_404(client, lannion, member, section):
    client.force_login(member)
    client.post(PROPOSE, form_data(lannion))
    page = proposal_of(member)
    colleague = person_of(
        lannion, "colleague@lannion.fr", AffiliationRole.REPRESENTATIVE
    )
    client.force_login(colleague)
    assert client.get(edit_url(page)).status_code == 404
    assert client.post(edit_url(page), form_data(lannion)).status_code == 404
    assert "Un guichet numérique" not in space(client)
    for value in ("abc", str(2**70), "0"):
        assert client.get(f"/mon-espace/pratiques/{value}/modifier/").status_code == 404
    # An editor is sent to the page in the admin.
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = client.get(edit_url(page))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"


# --- Following the review -----------------------------------------------------------


def request_changes(page, comment):
    editor = UserFactory(is_staff=True, is_superuser=True)
    page.current_workflow_state.current_task_state.reject(user=editor, comment=comment)
    return editor


def test_the_author_answers_the_editors_request_and_the_review_resumes(
    client, lannion, member
):
    client.force_login(member)
    client.post(PROPOSE, form_data(lannion))
    page = proposal_of(member)
    assert client.get(edit_url(page)).status_code == 200
    # In review: nothing to change yet.
    response = client.post(edit_url(page), form_data(lannion, title="Autre titre"))
    assert "ne peut pas être modifiée maintenant" in visible_text(
        response.content.decode()
    )
    assert page.revisions.count() == 1

    request_changes(page, "Précisez le budget, s'il vous plaît.")
    text = space(client)
    assert "À modifier" in text
    assert "Précisez le budget, s'il vous plaît." in text

    form = client.get(edit_url(page)).content.decode()
    assert "Trop de portails." in form
    assert "- un pour l&#x27;état civil" in form
    response = client.post(
        edit_url(page),
        form_data(lannion, token=None, budget_range="moins-10k", title="Le guichet"),
    )
    assert response.status_code == 302, visible_text(response.content.decode())

    page.refresh_from_db()
    assert page.revisions.count() == 2
    draft = page.get_latest_revision_as_object()
    assert draft.budget_range == "moins-10k"
    assert draft.title == "Le guichet"
    # Unchanged sections keep their rich text as it was.
    assert draft.context.startswith("<p>Trop de portails.</p><ul>")
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "En relecture" in space(client)

    # The editor approves: published, with its link.
    state.current_task_state.approve(user=UserFactory(is_superuser=True))
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.title == "Le guichet"
    text = space(client)
    assert "Publiée" in text
    assert f'href="{page.url}"' in client.get("/mon-espace/").content.decode()
    # Published: the front office no longer changes it.
    assert (
        client.post(edit_url(page), form_data(lannion, token=None)).status_code == 200
    )
    assert page.revisions.count() == 2


def test_documents_can_be_removed_and_added_when_changing(client, lannion, member):
    client.force_login(member)
    client.post(
        PROPOSE,
        {
            **form_data(lannion),
            "documents": [SimpleUploadedFile("bilan.pdf", b"%PDF-1.4\n%%EOF\n")],
        },
    )
    page = proposal_of(member)
    request_changes(page, "Ajoutez le cahier des charges.")
    response = client.post(
        edit_url(page),
        {
            **form_data(lannion, token=None),
            "kept_documents": [],
            "documents": [SimpleUploadedFile("cahier.pdf", b"%PDF-1.4\n%%EOF\n")],
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert [d.label for d in draft.attached_documents.all()] == ["cahier"]


# --- Privacy -----------------------------------------------------------------------


def test_a_proposal_stays_out_of_every_public_place_until_approved(
    client, lannion, member
):
    word = "Zanzibarquemotunique"
    client.force_login(member)
    client.post(PROPOSE, form_data(lannion, title=f"Le projet {word}"))
    page = proposal_of(member)
    client.logout()
    reader = person_of(lannion, "lecteur@lannion.fr")
    for who in (None, reader):
        if who:
            client.force_login(who)
        for url in (
            "/ressources/",
            f"/recherche/?q={word}",
            f"/api/search/?q={word}",
            "/ressources/flux.xml",
            "/ressources/atom.xml",
            "/sitemap.xml",
            lannion.url,
            "/",
        ):
            response = client.get(url)
            assert f"projet {word}" not in response.content.decode(), url
        assert client.get(page.url or f"/ressources/{page.slug}/").status_code == 404
        assert client.get(f"/ressources/fiche/{page.pk}.pdf").status_code == 404


def test_member_text_round_trip():
    source = "Un [lien](https://exemple.fr).\nLigne 2\n\n- un\n- deux\n\n1. a\n2. b"
    rich = rich_text_from_member_text(source)
    assert rich == (
        '<p>Un <a href="https://exemple.fr">lien</a>.<br/>Ligne 2</p>'
        "<ul><li>un</li><li>deux</li></ul><ol><li>a</li><li>b</li></ol>"
    )
    assert member_text_from_rich_text(rich) == source
    assert rich_text_from_member_text("  \n ") == ""
    # Invisible control characters (pasted) are dropped.
    assert rich_text_from_member_text("a\x08b\x1f") == "<p>ab</p>"


def test_an_existing_practice_of_the_collectivity_is_not_the_members(
    client, lannion, member, section
):
    """Practices the association wrote (no proposal) are not in « Mes
    propositions » and the front office does not open them."""
    practice = publish(
        PracticePageFactory(parent=section("ressources"), collectivity=lannion)
    )
    client.force_login(member)
    assert practice.title not in space(client)
    assert client.get(edit_url(practice)).status_code == 404


def test_proposals_are_in_the_authors_data_export(client, lannion, member):
    client.force_login(member)
    client.post(PROPOSE, form_data(lannion))
    data = client.get("/mon-espace/mes-donnees.json").json()
    (proposal,) = data["propositions"]
    assert proposal["titre"] == "Un guichet numérique unique pour les habitants"
    assert proposal["collectivite"] == "Ville de Lannion"
    assert proposal["etat"] == "En relecture"


def test_proposing_is_rate_limited(client, lannion, member, settings):
    settings.RETEX_RATE_LIMITS = {
        **settings.RETEX_RATE_LIMITS,
        "practice_proposal": "2/h",
    }
    client.force_login(member)
    for _ in range(2):
        assert client.post(PROPOSE, form_data(lannion)).status_code == 302
    response = client.post(PROPOSE, form_data(lannion))
    assert response.status_code == 429
    assert "Trop de" in visible_text(response.content.decode())
    assert PracticePage.objects.count() == 2
