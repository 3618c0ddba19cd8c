from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from retex.tasks import enqueue_after_commit


@receiver(post_save, sender=get_document_model())
def extract_text_after_upload(sender, instance, **kwargs):
    from knowledge.tasks import extract_document_text

    enqueue_after_commit(extract_document_text, document_id=instance.pk)


# Related content stored per page (`knowledge.related`): kept right by a task
# enqueued in the writing transaction.

# A change to a view restriction over more pages than this chooses again for
# every page (one ranking per set of themes) rather than page by page.
RESTRICTION_REBUILD_ABOVE = 200


def _is_knowledge_page(instance) -> bool:
    from knowledge.models import KnowledgePage

    return isinstance(instance, KnowledgePage)


@receiver(post_save)
def related_after_page_save(
    sender, instance=None, raw=False, update_fields=None, **kwargs
):
    """A knowledge page created, published, unpublished, or whose date or themes
    changed (what `retex.page_cache` found comparing with the stored row before
    the save); not a draft or lock (bookkeeping fields only)."""
    from retex.page_cache.invalidation import PAGE_BOOKKEEPING_FIELDS

    if raw or not _is_knowledge_page(instance):
        return
    if update_fields and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return
    if not getattr(instance, "_page_cache_selection", True):
        return
    from knowledge.tasks import refresh_related_pages

    enqueue_after_commit(refresh_related_pages, changed=[instance.pk])


def related_before_page_delete(sender, instance=None, **kwargs):
    """The pages whose choice holds a deleted page choose again (its rows go
    with it). Sent once per page, for its `KnowledgePage` row."""
    from knowledge.models import RelatedPage
    from knowledge.tasks import refresh_related_pages

    holders = list(
        RelatedPage.objects.filter(related_id=instance.pk).values_list(
            "page_id", flat=True
        )
    )
    if holders:
        enqueue_after_commit(refresh_related_pages, recompute=holders)


def _restriction_changed(sender, instance=None, raw=False, **kwargs):
    """Pages under a view restriction added, changed or removed: restricted
    pages are kept in place in the stored choices."""
    from knowledge.models import KnowledgePage
    from knowledge.tasks import rebuild_related_pages, refresh_related_pages

    if raw or instance is None:
        return
    path = (
        Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    )
    if path is None:
        return
    pages = list(
        KnowledgePage.objects.filter(path__startswith=path).values_list("pk", flat=True)
    )
    if len(pages) > RESTRICTION_REBUILD_ABOVE:
        enqueue_after_commit(rebuild_related_pages)
    elif pages:
        enqueue_after_commit(refresh_related_pages, changed=pages)


def _theme_deleted(sender, instance=None, **kwargs):
    # Its links go without signals: every choice may change.
    from knowledge.tasks import rebuild_related_pages

    enqueue_after_commit(rebuild_related_pages)


pre_delete.connect(
    related_before_page_delete, sender="knowledge.KnowledgePage", weak=False
)
post_save.connect(_restriction_changed, sender=PageViewRestriction, weak=False)
post_delete.connect(_restriction_changed, sender=PageViewRestriction, weak=False)
post_delete.connect(_theme_deleted, sender="retex.Theme", weak=False)
