"""Pages with personal parts: a shell shared by those who may see the same,
each person's parts rendered into a copy of it."""

from __future__ import annotations

import re
import time
import uuid

from django.apps import apps
from django.http import HttpResponse
from django.utils.html import format_html

from retex.page_cache.keys import (
    HEADER,
    SHELL_PREFIX,
    SIGNED_IN_PREFIX,
    mark_cacheable,
    page_dependencies,
    page_is_public,
    response_is_storable,
)
from retex.page_cache.storage import _put, lookup, response_from

# --- Pages with personal parts --------------------------------------------------------


def rendering_shell(request) -> bool:
    """Whether the shared shell of a page is being rendered: its personal parts
    are left out, their context need not be computed."""
    return getattr(request, "page_shell_marker", None) is not None


def personal_marker(request, template_name: str) -> str | None:
    """While the shared shell of a page is rendered, the marker that stands for
    its personal part `template_name` (`{% personal %}`); else None."""
    prefix = getattr(request, "page_shell_marker", None)
    return None if prefix is None else _marker(prefix, template_name)


def _marker(prefix: str, template_name: str) -> str:
    return format_html("<!--{}:{}-->", prefix, template_name)


def shell_key(signed_in_key: str) -> str:
    """Where the shell of the page under `signed_in_key` is stored."""
    return SHELL_PREFIX + signed_in_key.removeprefix(SIGNED_IN_PREFIX)


def serve_with_personal_parts(page, request, serve):
    """Serve `page` to a signed-in person from the shell shared by those who may
    see the same, with their personal parts rendered in.

    `serve()` renders the whole page; the page's
    `personal_part_renderer(request)` returns a function rendering one personal
    part for this person, as `{% personal %}` does in a whole page. Anybody
    else (anonymous visitors, whose whole page is cached; people with a message
    pending or admin access; previews; restricted pages) gets `serve()`. Once
    the shell is stored, `SignedInPageCacheMiddleware` fills it without
    routing the request to the page (`fill_stored_shell`).
    """
    key = getattr(request, "signed_in_page_cache_key", None)
    if key is None or getattr(request, "is_preview", False):
        return serve()
    if not page_is_public(page):
        return serve()
    shell = shell_key(key)
    generation, entry = lookup(shell)
    hit = entry is not None
    if not hit:
        # A new marker on every rendering: no text of the page (rich text, a
        # title) can stand for a personal part.
        prefix = f"retex-personal-{uuid.uuid4().hex}"
        request.page_shell_marker = prefix
        try:
            response = serve()
            if hasattr(response, "render"):
                response.render()
        finally:
            del request.page_shell_marker
        if response.status_code != 200:
            return response
        mark_cacheable(response)
        storable = generation is not None and response_is_storable(
            request, response, signed_in=True
        )
        generation_id = None if generation is None else generation[0]
        headers = [(name, value) for name, value in response.items()]
        content = prefix.encode() + b"\n" + response.content
        # What to fill it for: the page, found again without routing.
        page_ref = (page._meta.label_lower, page.pk)
        entry = (generation_id, 200, headers, content, time.time(), page_ref)
        if storable:
            _put(shell, generation, entry, page_dependencies(page, request))
    return _filled(entry, page.personal_part_renderer(request), hit=hit)


def fill_stored_shell(request, entry: tuple) -> HttpResponse | None:
    """The page of a stored shell with this person's parts, or None if the page
    is no longer live (then it is routed and served as usual).

    The shell was stored for the same key (URL, membership, restrictions not
    passed) in the current generation, while the page was public, and the tags
    it depends on are unchanged: any change since (publication, restriction,
    move) would have started a new generation or bumped its `page:` tag. So
    the page only has to be read for its parts' context, in one query.
    """
    label, pk = entry[5]
    page = apps.get_model(label).objects.live().filter(pk=pk).first()
    if page is None:
        return None
    return _filled(entry, page.personal_part_renderer(request), hit=True)


def _filled(entry: tuple, render_part, *, hit: bool) -> HttpResponse:
    prefix, _newline, shell = entry[3].partition(b"\n")
    prefix, html = prefix.decode(), shell.decode()
    for template_name in set(re.findall(rf"<!--{prefix}:([^>]+?)-->", html)):
        html = html.replace(_marker(prefix, template_name), render_part(template_name))
    response = response_from(entry)
    response.content = html
    response[HEADER] = "HIT" if hit else "MISS"
    return response
