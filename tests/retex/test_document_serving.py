"""Documents are served by a permission-checked view, never a public media URL.

A document is public when every live page using it is open to everyone (and
a live page uses it); members-only when a live page using it is members-only;
private otherwise (drafts only, or no page): then only those preparing the
draft (its owner, a member's own proposal) and the editors who manage it
download it (knowledge/document_access.py).
"""

import uuid

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from knowledge.document_access import MEMBERS, PRIVATE, PUBLIC, document_audience
from knowledge.models import KnowledgePageDocument
from knowledge.proposals import practice_propose
from members.models import Affiliation, AffiliationStatus, MembershipStatus
from retex.visibility import MEMBERS_GROUP
from tests import factories
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    UserFactory,
    close_response,
    give_mfa,
    verified_person,
)
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


Document = get_document_model()


def make_document(name="compte-rendu.txt", content=b"Compte rendu du bureau"):
    return factories.make_document(name, content)


def attach(page, document):
    KnowledgePageDocument.objects.create(page=page, document=document)


def members_only(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])
    return page


def download(client, document, user=None):
    """(status, location, body) of the document's URL for `user`."""
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(document.url)
    body = b""
    if response.status_code == 200:
        body = b"".join(response.streaming_content)
    close_response(response)
    return response.status_code, response.get("Location", ""), body, response


@pytest.fixture
def people():
    member = UserFactory()
    member.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    editor = give_mfa(UserFactory())
    editor.groups.add(Group.objects.get(name="Éditeurs"))
    return {"verified": UserFactory(), "member": member, "editor": editor}


def test_a_document_of_a_public_page_is_public_and_never_rendered_inline(
    client, section
):
    page = ArticlePageFactory(parent=section("ressources"))
    document = make_document("note.txt", b"<script>alert(1)</script>")
    attach(page, document)

    status, _location, body, response = download(client, document)

    assert document_audience(document) == PUBLIC
    assert status == 200
    assert body == b"<script>alert(1)</script>"
    assert document.url.startswith("/documents/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_document_of_a_members_only_page_is_for_members(client, section, people):
    page = members_only(ArticlePageFactory(parent=section("ressources")))
    document = make_document("budget-confidentiel.txt", b"Budget 2027")
    attach(page, document)

    status, location, _body, _response = download(client, document)
    assert status == 302
    assert location.startswith("/accounts/login/?next=/documents/")

    status, _location, body, response = download(client, document, people["verified"])
    assert status == 403
    assert "Document réservé aux membres" in response.content.decode()
    assert "Budget 2027" not in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"

    status, _location, body, _response = download(client, document, people["member"])
    assert status == 200
    assert body == b"Budget 2027"
    # Editors manage documents in the admin: they see what they preview.
    assert download(client, document, people["editor"])[0] == 200


def test_a_document_chosen_in_a_block_of_a_members_only_page_is_protected(
    client, section, people
):
    document = make_document()
    page = ArticlePageFactory(
        parent=section("ressources"),
        body=[("document", {"document": document, "title": "Le compte rendu"})],
    )
    members_only(page)

    assert document_audience(document) == MEMBERS
    assert download(client, document, people["verified"])[0] == 403
    assert download(client, document, people["member"])[0] == 200


def test_a_roadmap_document_of_a_collectivity_follows_its_page(client, section):
    document = make_document("feuille-de-route.txt")
    CollectivityPageFactory(parent=section("membres"), roadmap_document=document)
    assert document_audience(document) == PUBLIC
    assert download(client, document)[0] == 200


def test_a_document_used_by_a_public_and_a_members_only_page_is_members_only(
    client, section
):
    document = make_document()
    attach(ArticlePageFactory(parent=section("ressources")), document)
    attach(members_only(ArticlePageFactory(parent=section("ressources"))), document)
    assert document_audience(document) == MEMBERS
    assert download(client, document)[0] == 302


def test_documents_of_drafts_and_unused_documents_are_not_public(
    client, section, people
):
    draft = ArticlePageFactory(parent=section("ressources"), live=False)
    of_draft = make_document("brouillon.txt")
    attach(draft, of_draft)
    unused = make_document("tout-juste-envoye.txt")
    # A public page whose newer, unpublished revision adds a document.
    public = ArticlePageFactory(parent=section("ressources"))
    in_revision = make_document("prochaine-version.txt")
    public.body = [("document", {"document": in_revision, "title": ""})]
    public.save_revision()

    for document in (of_draft, unused, in_revision):
        assert document_audience(document) == PRIVATE, document.title
        assert download(client, document)[0] == 302
        assert download(client, document, people["verified"])[0] == 403
        status, _location, _body, response = download(
            client, document, people["member"]
        )
        assert status == 403
        assert "Document non publié" in visible_text(response.content.decode())
        assert download(client, document, people["editor"])[0] == 200
    # The draft's owner prepares it: they download its document.
    draft.owner = people["verified"]
    draft.save()
    assert download(client, of_draft, people["verified"])[0] == 200


def test_a_document_of_a_live_public_page_and_a_draft_stays_public(client, section):
    document = make_document()
    attach(ArticlePageFactory(parent=section("ressources")), document)
    attach(ArticlePageFactory(parent=section("ressources"), live=False), document)
    assert document_audience(document) == PUBLIC
    assert download(client, document)[0] == 200


def test_a_document_of_a_live_members_only_page_and_a_draft_is_for_members(
    client, section, people
):
    document = make_document()
    attach(members_only(ArticlePageFactory(parent=section("ressources"))), document)
    attach(ArticlePageFactory(parent=section("ressources"), live=False), document)
    assert document_audience(document) == MEMBERS
    assert download(client, document, people["member"])[0] == 200
    assert download(client, document, people["verified"])[0] == 403


def test_publishing_the_page_makes_its_document_public(client, section):
    draft = ArticlePageFactory(parent=section("ressources"), live=False)
    document = make_document()
    attach(draft, document)
    assert download(client, document)[0] == 302

    draft.save_revision().publish()

    assert download(client, document)[0] == 200


def proposer_of(section, email):
    lannion = publish(
        CollectivityPageFactory(
            parent=section("membres"),
            title="Ville de Lannion",
            membership_status=MembershipStatus.ACTIVE,
        )
    )
    user = verified_person(email)
    Affiliation.objects.create(
        user=user, collectivity=lannion, status=AffiliationStatus.APPROVED
    )
    return user, lannion


def test_a_proposals_documents_reach_its_proposer_and_editors_only(
    client, section, people
):
    """A practice a member proposed from Mon espace is a draft in review: its
    documents are not for other members until the editors publish it."""
    section("ressources")
    proposer, lannion = proposer_of(section, "marc@lannion.fr")
    document = make_document("diagnostic.txt", b"Diagnostic du guichet")
    values = {
        "title": "Un guichet unique",
        "lead": "Les démarches en un seul guichet.",
        "collectivity": lannion,
        "actions": "<p>Un guichet.</p>",
    }
    page, _ = practice_propose(
        user=proposer, token=uuid.uuid4(), values=values, documents=[document]
    )
    assert people["member"].groups.filter(name=MEMBERS_GROUP).exists()

    def audiences():
        return {
            "proposer": download(client, document, proposer)[:3],
            "member": download(client, document, people["member"])[0],
            "anonymous": download(client, document)[:2],
            "editor": download(client, document, people["editor"])[0],
        }

    assert document_audience(document) == PRIVATE
    private = {
        "proposer": (200, "", b"Diagnostic du guichet"),
        "member": 403,
        "anonymous": (302, f"/accounts/login/?next={document.url}"),
        "editor": 200,
    }
    assert audiences() == private
    # A document the proposer just uploaded (for a change to come, used by no
    # page yet): theirs to download too, nobody else's.
    added = make_document("cahier.txt", b"Cahier des charges")
    added.uploaded_by_user = proposer
    added.save()
    assert document_audience(added) == PRIVATE
    assert download(client, added, proposer)[:3] == (200, "", b"Cahier des charges")
    assert download(client, added, people["member"])[0] == 403

    # The editors approve it: a public page, its documents public.
    page.current_workflow_state.current_task_state.approve(
        user=UserFactory(is_superuser=True)
    )
    page.refresh_from_db()
    assert page.live
    assert document_audience(document) == PUBLIC
    assert audiences() == {
        "proposer": (200, "", b"Diagnostic du guichet"),
        "member": 200,
        "anonymous": (200, ""),
        "editor": 200,
    }

    # Unpublished: private again.
    page.unpublish()
    assert document_audience(document) == PRIVATE
    assert audiences() == private


def test_a_private_collection_still_applies(client, section, people):
    collection = Collection.get_first_root_node().add_child(name="Bureau")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document()
    document.collection = collection
    document.save()
    attach(ArticlePageFactory(parent=section("ressources")), document)

    assert document_audience(document) == PUBLIC
    status, location, _body, _response = download(client, document)
    assert status == 302
    assert location.startswith("/accounts/login/")
    assert download(client, document, people["verified"])[0] == 200


def test_the_media_url_of_documents_is_not_served(client, section):
    document = make_document()
    attach(ArticlePageFactory(parent=section("ressources")), document)
    response = client.get(f"/media/{document.file.name}")
    assert response.status_code == 404


def test_a_wrong_file_name_or_id_is_a_404_not_an_error(client, section):
    document = make_document()
    attach(ArticlePageFactory(parent=section("ressources")), document)
    assert client.get(f"/documents/{document.pk}/autre.txt").status_code == 404
    assert client.get("/documents/999999/compte-rendu.txt").status_code == 404
    assert client.get(f"/documents/{document.pk}/").status_code == 404
