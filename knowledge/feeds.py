"""RSS and Atom feeds of the public knowledge pages (never drafts nor members-only)."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from knowledge.selectors import knowledge_listing
from retex.links import absolute_url, page_url
from retex.page_cache import mark_cacheable

FEED_SIZE = 30


class KnowledgeRssFeed(Feed):
    title = _("Ressources du réseau Retex")
    description = _(
        "Les derniers articles, entretiens et retours d'expérience publiés."
    )
    url_name = "knowledge_feed_rss"

    # Every link on BASE_URL (Django's feed would take the request's host).
    def link(self):
        return absolute_url("/ressources/")

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def __call__(self, request, *args, **kwargs):
        # The same for everybody (see `items`): kept in the page cache.
        return mark_cacheable(super().__call__(request, *args, **kwargs))

    def items(self):
        # Always as an anonymous visitor: a feed reader has no session, and a
        # feed URL shared by a member must not leak members-only pages.
        return knowledge_listing(user=AnonymousUser())[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return page_url(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class KnowledgeAtomFeed(KnowledgeRssFeed):
    feed_type = Atom1Feed
    url_name = "knowledge_feed_atom"
    subtitle = KnowledgeRssFeed.description
