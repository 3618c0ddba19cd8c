"""`{% absolute_page_url page %}`, `{% absolute_url path %}`: links on BASE_URL
(see `retex.links`), for canonical, `og:url` and emails."""

from django import template

from retex import links

register = template.Library()


@register.simple_tag
def absolute_page_url(page) -> str:
    return links.page_url(page) or ""


@register.simple_tag
def absolute_url(path_or_url) -> str:
    return links.absolute_url(str(path_or_url))
