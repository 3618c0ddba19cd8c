"""Keep people's access in step with their collectivity's status."""

from allauth.account.signals import email_confirmed, user_logged_in
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from members.models import CollectivityPage


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
