"""Who may download a document: the rule behind `/documents/<id>/<file name>`.

Documents are always served by Wagtail's view (`WAGTAILDOCS_SERVE_METHOD =
"serve_view"`), never from a public media URL, and that view asks
`may_download` first (`knowledge/wagtail_hooks.py`).

The rule, decided by the **live** pages that use it: a document is
**public** when at least one page uses it and every page using it is live and
open to everyone (a draft also using it changes nothing: the live pages
already show it); **members-only** when at least one live page uses it and a
live page using it is members-only (or has any other view restriction);
otherwise it is **private**: used only by drafts or unpublished pages (a
practice a member proposed, in review), a newer unpublished revision, or no
page yet (just uploaded for a page being written). "Uses" means attached to a
resource, chosen in a document block, linked from rich text, or a
collectivity's roadmap document, in the pages' published content. On top of
that, Wagtail's own collection privacy settings still apply (a private
collection keeps its login, group or password check).

Members-only documents are served to members (and the association's staff).
Private documents are served only to those who may see a draft using them:
the owner of a page using it (a member's own proposal), its uploader (a
document added to a proposal's newer revision), and whoever may edit that
page. Both are also served to whoever may edit or choose the document in the
admin (its uploader, the editors), so that a draft's preview works. Others get
a login prompt (anonymous visitors) or a 403.

The search applies the same audience to a document's text (`search/documents.py`),
and keeps roadmap documents and private collections' documents out of it
(`documents_kept_out_of_search`); `documents_used_by_pages` tells it which
documents to re-index when pages change.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail.permissions import policy_registry

from retex.visibility import sees_members_content

PUBLIC = "public"
MEMBERS = "members"
PRIVATE = "private"


def pages_using_documents(documents) -> dict[int, list[Page]]:
    """For each of `documents` (by id), every page whose published content uses it.

    Wagtail's reference index knows about blocks and rich text links; the
    direct relations are read too because the index is rebuilt by a background
    task, and a document just attached to a members-only page must be
    protected at once. A fixed number of queries, whatever the number of
    documents.
    """
    from knowledge.models import KnowledgePageDocument
    from members.models import CollectivityPage

    documents = [document for document in documents if document is not None]
    page_ids = {document.pk: set() for document in documents}
    if not documents:
        return {}
    page_type = ContentType.objects.get_for_model(Page)
    referencing = ReferenceIndex.get_references_to_in_bulk(documents).filter(
        base_content_type=page_type
    )
    for document_id, page_id in referencing.values_list("to_object_id", "object_id"):
        page_ids[int(document_id)].add(int(page_id))
    for document_id, page_id in KnowledgePageDocument.objects.filter(
        document__in=documents
    ).values_list("document_id", "page_id"):
        page_ids[document_id].add(page_id)
    for document_id, page_id in CollectivityPage.objects.filter(
        roadmap_document__in=documents
    ).values_list("roadmap_document_id", "pk"):
        page_ids[document_id].add(page_id)
    pages = Page.objects.in_bulk({pk for ids in page_ids.values() for pk in ids})
    return {
        document_id: [pages[pk] for pk in sorted(ids) if pk in pages]
        for document_id, ids in page_ids.items()
    }


def audience_of(pages, restricted_paths) -> str:
    """PUBLIC, MEMBERS or PRIVATE for a document used by `pages` (the rule
    above), given the paths of every page carrying a view restriction."""
    live = [page for page in pages if page.live]
    if not live:
        return PRIVATE
    for page in live:
        if any(page.path.startswith(path) for path in restricted_paths):
            return MEMBERS
    return PUBLIC


def restricted_page_paths() -> list[str]:
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def document_audiences(documents) -> dict[int, str]:
    """PUBLIC, MEMBERS or PRIVATE for each of `documents` (by id), by the rule above
    (collection privacy aside), in a fixed number of queries."""
    pages_by_document = pages_using_documents(documents)
    if not pages_by_document:
        return {}
    restricted_paths = restricted_page_paths()
    return {
        document_id: audience_of(pages, restricted_paths)
        for document_id, pages in pages_by_document.items()
    }


def documents_used_by_pages(pages) -> set[int]:
    """Ids of the documents that `pages` (a queryset of pages) use, in the sense
    above (attached, in a block or a rich text link, a roadmap document): those
    whose audience may change when these pages change. Three queries, whatever
    the number of pages."""
    from knowledge.models import KnowledgePageDocument
    from members.models import CollectivityPage

    page_ids = pages.values("pk")
    used = set(
        KnowledgePageDocument.objects.filter(page_id__in=page_ids).values_list(
            "document_id", flat=True
        )
    )
    used.update(
        CollectivityPage.objects.filter(
            pk__in=page_ids, roadmap_document__isnull=False
        ).values_list("roadmap_document_id", flat=True)
    )
    used.update(
        int(document_id)
        for document_id in ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages.values(id_text=Cast("pk", CharField())),
            to_content_type=ReferenceIndex._get_base_content_type(get_document_model()),
        ).values_list("to_object_id", flat=True)
    )
    return used


def documents_kept_out_of_search(documents) -> set[int]:
    """Ids of those of `documents` whose text no search entry may carry, whoever
    searches: a collectivity's roadmap document (on its profile only), and a
    document in a collection with its own privacy setting (a password, a login
    or a group that the search cannot check). A fixed number of queries."""
    from members.models import CollectivityPage

    documents = [document for document in documents if document is not None]
    if not documents:
        return set()
    kept_out = set(
        CollectivityPage.objects.filter(roadmap_document__in=documents).values_list(
            "roadmap_document_id", flat=True
        )
    )
    private_paths = list(
        CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    )
    if private_paths:
        paths = dict(
            Collection.objects.filter(
                pk__in={document.collection_id for document in documents}
            ).values_list("pk", "path")
        )
        kept_out.update(
            document.pk
            for document in documents
            if any(
                paths.get(document.collection_id, "").startswith(path)
                for path in private_paths
            )
        )
    return kept_out


def document_audience(document) -> str:
    """PUBLIC, MEMBERS or PRIVATE, by the rule above (collection privacy aside)."""
    return document_audiences([document])[document.pk]


def may_manage_document(user, document) -> bool:
    """Whether the admin lets `user` edit or choose this document."""
    if not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], document
    )


def sees_draft_using(user, document) -> bool:
    """Whether `user` may see a draft using this private document: its
    uploader, the owner of a page using it (a member's own proposal), or
    whoever may edit such a page in the admin."""
    if not user.is_authenticated:
        return False
    if document.uploaded_by_user_id == user.pk:
        return True
    pages = pages_using_documents([document]).get(document.pk, [])
    return any(
        page.owner_id == user.pk or page.permissions_for_user(user).can_edit()
        for page in pages
    )


def may_download(document, user) -> bool:
    audience = document_audience(document)
    if audience == PUBLIC:
        return True
    if audience == MEMBERS and sees_members_content(user):
        return True
    return may_manage_document(user, document) or sees_draft_using(user, document)
