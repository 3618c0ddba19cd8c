"""What changes a search entry, each enqueuing one indexing task after commit.

Pages: publishing, unpublishing, deleting, moving, and view restrictions (the
page, its descendants, the documents they use and the other pages using those:
a document's audience follows every page using it).

Mutual-aid questions: asked, answered, an answer edited, hidden or restored,
the question hidden, restored or deleted: the question's entry.

Uploaded documents: saved (title, file, collection), text extracted, deleted,
attached to or detached from a page, linked or unlinked (Wagtail's reference
index), or their collection's privacy changed: the document and every page
using it.

A synonym saved or deleted enqueues a rebuild of the Elasticsearch index, whose
search analyzer holds the synonyms (the database backend needs none).
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from retex.tasks import enqueue_after_commit
from territories.signals import referential_changed


def _reindex(page_id):
    from search.tasks import update_page_in_index

    enqueue_after_commit(update_page_in_index, page_id=page_id)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
def page_changed(sender, instance, **kwargs):
    _reindex(instance.pk)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    _reindex(instance.pk)


@receiver(post_delete, sender="wagtailcore.Page")
def page_deleted(sender, instance, **kwargs):
    """Its database entry at once, with the page (the search cache is told);
    Elasticsearch's in the task, which may wait for it to answer."""
    from search.service import database_backend

    database_backend().remove([f"page:{instance.pk}"])
    _reindex(instance.pk)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    _reindex(instance.page_id)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, action, reverse, **kwargs):
    """Wagtail's privacy dialog saves a restriction, then its groups: outside a
    transaction, the task of the first save may run before the groups are set."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _reindex(instance.page_id)
    elif kwargs.get("pk_set"):  # From the group's side: these restrictions.
        for page_id in PageViewRestriction.objects.filter(
            pk__in=kwargs["pk_set"]
        ).values_list("page_id", flat=True):
            _reindex(page_id)


def _reindex_documents(document_ids, *, page_ids=()):
    from search.tasks import update_documents_in_index

    enqueue_after_commit(
        update_documents_in_index,
        document_ids=sorted(set(document_ids)),
        page_ids=sorted(set(page_ids)),
    )


@receiver(post_save, sender=get_document_model())
def document_saved(sender, instance, raw=False, **kwargs):
    """Its title or collection may have changed (its file: see below)."""
    if not raw:
        _reindex_documents([instance.pk])


@receiver(post_save, sender="knowledge.DocumentText")
def document_text_extracted(sender, instance, raw=False, **kwargs):
    """A new file's text, extracted in the background (`knowledge.tasks`)."""
    if not raw:
        _reindex_documents([instance.document_id])


@receiver(pre_delete, sender=get_document_model())
def document_deleting(sender, instance, **kwargs):
    """The pages using it carry its text: known now, before the rows saying so
    are deleted with it."""
    from knowledge.document_access import pages_using_documents

    pages = pages_using_documents([instance]).get(instance.pk, [])
    instance._search_page_ids = [page.pk for page in pages]


@receiver(post_delete, sender=get_document_model())
def document_deleted(sender, instance, **kwargs):
    from search.documents import document_key
    from search.service import database_backend

    # Its database entry at once, with the document; the rest in the task.
    database_backend().remove([document_key(instance.pk)])
    _reindex_documents(
        [instance.pk], page_ids=getattr(instance, "_search_page_ids", ())
    )


@receiver(post_delete, sender="knowledge.KnowledgePageDocument")
def document_detached(sender, instance, **kwargs):
    """A page stopped using the document (or was deleted): its audience may
    widen, and the page's entry must lose its text."""
    _reindex_documents([instance.document_id])


@receiver(post_delete, sender=ReferenceIndex)
def reference_removed(sender, instance, **kwargs):
    """A page no longer links to the document (block, rich text, roadmap),
    as Wagtail's reference index records once the page is saved or deleted."""
    document_type = ReferenceIndex._get_base_content_type(get_document_model())
    if instance.to_content_type_id == document_type.pk:
        _reindex_documents([int(instance.to_object_id)])


@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def collection_privacy_changed(sender, instance, **kwargs):
    """Documents of a private collection are kept out of search."""
    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is None:
        return
    collections = Collection.objects.descendant_of(collection, inclusive=True)
    document_ids = list(
        get_document_model()
        .objects.filter(collection__in=collections)
        .values_list("pk", flat=True)
    )
    if document_ids:
        _reindex_documents(document_ids)


def _reindex_question(question_id):
    from search.tasks import update_question_in_index

    enqueue_after_commit(update_question_in_index, question_id=question_id)


@receiver(post_save, sender="aid.Question")
@receiver(post_delete, sender="aid.Question")
def question_changed(sender, instance, raw=False, **kwargs):
    """Asked, edited, hidden or restored, closed, resolved, deleted."""
    if not raw:
        _reindex_question(instance.pk)


@receiver(m2m_changed, sender="aid.Question_themes")
def question_themes_changed(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        _reindex_question(instance.pk)


@receiver(post_save, sender="aid.Answer")
@receiver(post_delete, sender="aid.Answer")
def answer_changed(sender, instance, raw=False, **kwargs):
    """Its text is in its question's entry (while it is visible)."""
    if not raw:
        _reindex_question(instance.question_id)


@receiver(post_save, sender="search.Synonym")
@receiver(post_delete, sender="search.Synonym")
def synonym_changed(sender, instance, **kwargs):
    if not getattr(settings, "ELASTICSEARCH_URL", None):
        return
    from search.tasks import rebuild_elasticsearch_index

    enqueue_after_commit(rebuild_elasticsearch_index)


@receiver(referential_changed)
def places_changed(sender, **kwargs):
    """The referential changed: entries carrying places are indexed again."""
    from search.tasks import update_places_in_index

    enqueue_after_commit(update_places_in_index)
