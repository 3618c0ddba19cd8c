"""Keep people's access in step with their collectivity's status, and the
stored comparable collectivities with the collectivities."""

from allauth.account.signals import email_confirmed, user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from members.models import CollectivityPage
from members.tasks import rebuild_comparables, refresh_comparables
from retex.tasks import enqueue_after_commit


@receiver(page_published, sender=CollectivityPage)
@receiver(page_unpublished, sender=CollectivityPage)
def update_members_of_collectivity(sender, instance, **kwargs):
    from members.affiliation import sync_collectivity_members

    sync_collectivity_members(instance)


@receiver(email_confirmed)
def attach_on_verified_address(sender, request, email_address, **kwargs):
    """A verified address at a member collectivity's domain attaches at once."""
    from members.affiliation import attach_by_email_domain

    attach_by_email_domain(email_address.user)


@receiver(user_logged_in)
def attach_on_login(sender, request, user, **kwargs):
    """A domain declared after the person signed up attaches them at sign-in."""
    from members.affiliation import attach_by_email_domain

    attach_by_email_domain(user)


# Comparable collectivities stored per collectivity (`members.comparables`):
# kept right by a task enqueued in the writing transaction.


@receiver(post_save, sender=CollectivityPage)
def comparables_after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A collectivity created, published, unpublished, or whose kind,
    population, themes, status or title changed (what `retex.page_cache` found
    comparing with the stored row before the save,
    `CollectivityPage.cache_selection_fields`); not a draft or a lock."""
    from retex.page_cache.invalidation import PAGE_BOOKKEEPING_FIELDS

    if raw:
        return
    if update_fields and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return
    if not getattr(instance, "_page_cache_selection", True):
        return
    enqueue_after_commit(refresh_comparables, changed=[instance.pk])


@receiver(post_delete, sender=CollectivityPage)
def comparables_after_delete(sender, instance, **kwargs):
    """The lists holding a deleted collectivity choose again."""
    enqueue_after_commit(refresh_comparables, changed=[instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def comparables_after_restriction(sender, instance, raw=False, **kwargs):
    """A view restriction over collectivities (on one of them, on the directory
    or above) added, changed or removed: restricted ones are kept in place in
    the stored lists, so every list is chosen again."""
    if raw:
        return
    path = (
        Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    )
    if path and CollectivityPage.objects.filter(path__startswith=path).exists():
        enqueue_after_commit(rebuild_comparables)
