"""What changes a page's search document: publishing, unpublishing, deleting,
moving, and view restrictions. Each enqueues one indexing task after commit.

A synonym saved or deleted enqueues a rebuild of the Elasticsearch index, whose
search analyzer holds the synonyms (the database backend needs none).
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from retex.tasks import enqueue_after_commit


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
    from search.models import SearchEntry
    from search.service import backend, database_backend

    key = f"page:{instance.pk}"
    SearchEntry.objects.filter(key=key).delete()
    engine = backend()
    if not isinstance(engine, type(database_backend())):
        engine.remove([key])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    _reindex(instance.page_id)


@receiver(post_save, sender="search.Synonym")
@receiver(post_delete, sender="search.Synonym")
def synonym_changed(sender, instance, **kwargs):
    if not getattr(settings, "ELASTICSEARCH_URL", None):
        return
    from search.tasks import rebuild_elasticsearch_index

    enqueue_after_commit(rebuild_elasticsearch_index)
