"""Who may download a document: the rule behind `/documents/<id>/<file name>`.

Documents are always served by Wagtail's view (`WAGTAILDOCS_SERVE_METHOD =
"serve_view"`), never from a public media URL, and that view asks
`may_download` first (`knowledge/wagtail_hooks.py`).

The rule: a document is **public** when at least one page uses it and every
page that uses it is live and open to everyone. Otherwise it is
**members-only**: when a page using it is members-only (or has any other view
restriction), is a draft or is unpublished, and also while no page uses it yet
(just uploaded for a page being written). "Uses" means attached to a resource,
chosen in a document block, linked from rich text, or a collectivity's roadmap
document, in the pages' published content. On top of that, Wagtail's own
collection privacy settings still apply (a private collection keeps its login,
group or password check).

Members-only documents are served to members (and the association's staff),
and to whoever may edit or choose the document in the admin (its uploader, the
editors), so that a draft's preview works; others get a login prompt or a 403.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.permissions import policy_registry

from retex.visibility import user_is_member

PUBLIC = "public"
MEMBERS = "members"


def pages_using_document(document) -> list[Page]:
    """Every page whose published content uses `document`.

    Wagtail's reference index knows about blocks and rich text links; the
    direct relations are read too because the index is rebuilt by a background
    task, and a document just attached to a members-only page must be
    protected at once.
    """
    from knowledge.models import KnowledgePageDocument
    from members.models import CollectivityPage

    page_type = ContentType.objects.get_for_model(Page)
    referencing = ReferenceIndex.get_references_to(document).filter(
        base_content_type=page_type
    )
    page_ids = {int(pk) for pk in referencing.values_list("object_id", flat=True)}
    page_ids.update(
        KnowledgePageDocument.objects.filter(document=document).values_list(
            "page_id", flat=True
        )
    )
    page_ids.update(
        CollectivityPage.objects.filter(roadmap_document=document).values_list(
            "pk", flat=True
        )
    )
    return list(Page.objects.filter(pk__in=page_ids))


def document_audience(document) -> str:
    """PUBLIC or MEMBERS, by the rule above (collection privacy aside)."""
    pages = pages_using_document(document)
    if not pages:
        return MEMBERS
    restricted_paths = list(
        PageViewRestriction.objects.values_list("page__path", flat=True)
    )
    for page in pages:
        if not page.live:
            return MEMBERS
        if any(page.path.startswith(path) for path in restricted_paths):
            return MEMBERS
    return PUBLIC


def may_manage_document(user, document) -> bool:
    """Whether the admin lets `user` edit or choose this document."""
    if not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], document
    )


def may_download(document, user) -> bool:
    if document_audience(document) == PUBLIC:
        return True
    return user_is_member(user) or may_manage_document(user, document)
