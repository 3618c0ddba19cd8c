"""Absolute links: every absolute URL the site writes starts with `BASE_URL`.

Emails, calendar files, feeds, the sitemap, the directory exports, canonical and
`og:url` are read far from the request that produced them (a mail client, a
calendar app, a search engine), so their links must name the site's public
address. They never come from the request's host (a worker has no request) nor
from Wagtail's `Site` record (`localhost:80` on a fresh database): only from
`settings.BASE_URL`, read at call time. The `Site` record is kept in step with
`BASE_URL` anyway (`sync_default_site`, after every `migrate`), for Wagtail's
own uses of it (the admin's "view live" links, multi-site routing).
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap


def base_url() -> str:
    return settings.BASE_URL.rstrip("/")


def absolute_url(path_or_url: str) -> str:
    """The absolute URL of a path ("/ressources/"), on `BASE_URL`.

    An absolute URL (e.g. one Wagtail built from its `Site` record, or the
    request's host) keeps its path, query and fragment on `BASE_URL`'s origin.
    """
    if not path_or_url:
        return base_url() + "/"
    parts = urlsplit(path_or_url)
    if parts.scheme or parts.netloc:
        path_or_url = path_or_url[len(f"{parts.scheme}://{parts.netloc}") :]
    if not path_or_url.startswith("/"):
        path_or_url = "/" + path_or_url
    return base_url() + path_or_url


def page_url(page, request=None) -> str | None:
    """A Wagtail page's absolute URL on `BASE_URL` (None if it is not routable)."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    _site_id, _root_url, page_path = parts
    return absolute_url(page_path)


class Sitemap(WagtailSitemap):
    """Wagtail's sitemap, with each location on `BASE_URL` (Wagtail's own builds it
    from the `Site` record)."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            url_info["location"] = absolute_url(url_info["location"])
        return urls


def site_address() -> tuple[str, int]:
    """(hostname, port) of `BASE_URL`, as Wagtail's `Site` record stores them."""
    parts = urlsplit(base_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


def sync_default_site(**kwargs) -> bool:
    """Give Wagtail's default `Site` record the hostname and port of `BASE_URL`.

    Idempotent (a `post_migrate` receiver: it runs after each `migrate`, so after
    each deployment and each `make run`). Returns whether it changed anything.
    """
    from django.db import DEFAULT_DB_ALIAS
    from wagtail.models import Site

    using = kwargs.get("using", DEFAULT_DB_ALIAS)
    hostname, port = site_address()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if (
        Site.objects.using(using)
        .filter(hostname=hostname, port=port)
        .exclude(pk=site.pk)
        .exists()
    ):
        return False  # Another site already answers there: an operator's choice.
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return True
