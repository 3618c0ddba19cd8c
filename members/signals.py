"""Keep people's access in step with their collectivity's status."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from members.models import CollectivityPage


@receiver(page_published, sender=CollectivityPage)
@receiver(page_unpublished, sender=CollectivityPage)
def update_members_of_collectivity(sender, instance, **kwargs):
    from members.affiliation import sync_collectivity_members

    sync_collectivity_members(instance)
