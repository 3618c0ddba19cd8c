"""The sitemap's public threads: only those an editor published, never hidden
ones; members-only questions are in no sitemap."""

from django.contrib.sitemaps import Sitemap

from aid.models import Question, Visibility
from retex.links import absolute_url


class PublicThreadSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Question.objects.filter(
            visibility=Visibility.PUBLIC, hidden=False
        ).order_by("pk")

    def lastmod(self, question):
        return question.updated_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            # On BASE_URL, as every absolute link (retex.links).
            url_info["location"] = absolute_url(url_info["location"])
        return urls
