"""Documents are served by a permission-checked view, never a public media URL.

A document is public when every page using it is live and open to everyone
(and some page uses it); otherwise only members, and the editors who manage it,
download it (knowledge/document_access.py).
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from knowledge.document_access import MEMBERS, PUBLIC, document_audience
from knowledge.models import KnowledgePageDocument
from retex.visibility import MEMBERS_GROUP
from tests import factories
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    UserFactory,
    close_response,
    give_mfa,
)

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
        assert document_audience(document) == MEMBERS, document.title
        assert download(client, document)[0] == 302
        assert download(client, document, people["verified"])[0] == 403
        assert download(client, document, people["member"])[0] == 200


def test_publishing_the_page_makes_its_document_public(client, section):
    draft = ArticlePageFactory(parent=section("ressources"), live=False)
    document = make_document()
    attach(draft, document)
    assert download(client, document)[0] == 302

    draft.save_revision().publish()

    assert download(client, document)[0] == 200


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
