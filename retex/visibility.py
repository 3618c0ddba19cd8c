"""Who may see which page: the single rule every listing, feed and search uses.

Drafts are never shown; pages behind a Wagtail view restriction are left out of
listings for everybody until the members issue decides which restrictions a
logged-in member passes. Keeping the rule here means no listing can forget it.
"""

from wagtail.models import PageQuerySet


def pages_visible_to(queryset: PageQuerySet, *, user) -> PageQuerySet:
    return queryset.live().public()
