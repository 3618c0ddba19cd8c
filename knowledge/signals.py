from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
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


# Collectivity profiles list the knowledge pages naming them (their practices,
# the articles and interviews citing them or their people) and the practices of
# comparable collectivities: each depends on `cites:<its id>` and on
# `practices:<id>` of the comparable ones it shows
# (`CollectivityPage.cache_dependencies`, `get_context`), bumped here when a
# live page naming it, before or after the write, is saved (published,
# unpublished, its collectivities changed) or deleted: other publications leave
# the profiles in the cache.


def _tags(named, practice_of) -> set[str]:
    tags = {f"cites:{pk}" for pk in named if pk is not None}
    if practice_of is not None:
        tags.add(f"practices:{practice_of}")
    return tags


def stored_collectivity_tags(page_id) -> set[str]:
    """The profiles' tags of a stored knowledge page, if it is live: its
    related collectivities, its interviewees', its practice's collectivity."""
    from knowledge.models import Interviewee, KnowledgePage, PracticePage

    if not KnowledgePage.objects.filter(pk=page_id, live=True).exists():
        return set()
    through = KnowledgePage.related_collectivities.through
    named = set(
        through.objects.filter(knowledgepage_id=page_id).values_list(
            "collectivitypage_id", flat=True
        )
    )
    named.update(
        Interviewee.objects.filter(page_id=page_id).values_list(
            "collectivity_id", flat=True
        )
    )
    practice_of = (
        PracticePage.objects.filter(pk=page_id)
        .values_list("collectivity_id", flat=True)
        .first()
    )
    return _tags(named | {practice_of}, practice_of)


def collectivity_tags(page) -> set[str]:
    """The same for `page` as it is being saved: its relations are held in
    memory (modelcluster writes them after `post_save`)."""
    if not page.live:
        return set()
    named = page.named_collectivity_ids(list(page.related_collectivities.all()))
    return _tags(named, getattr(page, "collectivity_id", None))


def _shows_collectivities(instance, raw, update_fields) -> bool:
    from retex.page_cache.invalidation import PAGE_BOOKKEEPING_FIELDS

    if raw or not _is_knowledge_page(instance):
        return False
    return not (update_fields and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS)


@receiver(pre_save)
def collectivities_before_page_save(
    sender, instance=None, raw=False, update_fields=None, **kwargs
):
    if _shows_collectivities(instance, raw, update_fields):
        instance._collectivity_tags = (
            stored_collectivity_tags(instance.pk) if instance.pk else set()
        )


@receiver(post_save)
def profiles_after_page_save(
    sender, instance=None, raw=False, update_fields=None, using=None, **kwargs
):
    from retex.page_cache import bump

    if not _shows_collectivities(instance, raw, update_fields):
        return
    before = getattr(instance, "_collectivity_tags", set())
    bump(
        before | collectivity_tags(instance),
        origin=sender._meta.label_lower,
        using=using,
    )


def profiles_before_page_delete(sender, instance=None, using=None, **kwargs):
    from retex.page_cache import bump

    bump(
        stored_collectivity_tags(instance.pk),
        origin=sender._meta.label_lower,
        using=using,
    )


pre_delete.connect(
    profiles_before_page_delete, sender="knowledge.KnowledgePage", weak=False
)
