"""Pages with personal parts: a shell shared by those who may see the same,
each person's parts rendered into a copy of it."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid

from django.apps import apps
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.utils.functional import SimpleLazyObject
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

# What a marker names when it stands for a personal include (template and
# values, `personal_include`), not for a part of the page's own
# (`{% personal %}`, rendered by the page's `personal_part_renderer`).
INCLUDE = "+"


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


def personal_include(request, template_name: str, **values) -> str:
    """A personal part that needs nothing but the person's request and `values`
    (JSON values: ids, labels), so that any page or view may show it: the follow
    button (`following`), for one.

    `template_name` is rendered with `request`, `csrf_token` (the person's,
    made only if the template uses it) and `values`, nothing else of the page:
    here, or, while the shared shell of a page is rendered, a marker carrying
    the template and the values in its place, rendered for each person when the
    shell is filled. Both ways give the same HTML.
    """
    prefix = getattr(request, "page_shell_marker", None)
    if prefix is None:
        return _render_include(request, template_name, values)
    payload = json.dumps([template_name, values], separators=(",", ":"))
    return _marker(
        prefix, INCLUDE + base64.urlsafe_b64encode(payload.encode()).decode()
    )


def _render_include(request, template_name: str, values: dict) -> str:
    # No context processors: the part sees the same context whether it is
    # rendered in the page or into a shell. The token is made only if used, so
    # a visitor's page without a form sets no cookie and stays storable.
    context = {
        **values,
        "request": request,
        "csrf_token": SimpleLazyObject(lambda: get_token(request)),
    }
    return engines["django"].get_template(template_name).render(context)


def _render_marked_include(request, name: str) -> str:
    template_name, values = json.loads(base64.urlsafe_b64decode(name[len(INCLUDE) :]))
    return _render_include(request, template_name, values)


def shell_key(signed_in_key: str) -> str:
    """Where the shell of the page under `signed_in_key` is stored."""
    return SHELL_PREFIX + signed_in_key.removeprefix(SIGNED_IN_PREFIX)


def serve_pages_with_personal_parts(serve):
    """Wagtail `on_serve_page` hook, registered before (so around)
    `serve_public_pages`: the pages signed-in people share
    (`signed_in_page_cache`) may hold personal parts (`personal_include`, such
    as the follow button); for them, the page is rendered as a shell, stored
    if `serve_public_pages` marked it, and filled for each person. A page
    that showed no personal part is left as it was rendered: stored whole.
    Pages serving themselves through `serve_with_personal_parts` (event pages)
    do not opt in."""

    def inner(page, request, args, kwargs):
        if (
            getattr(request, "signed_in_page_cache_key", None) is None
            or not getattr(page, "signed_in_page_cache", False)
            or getattr(request, "is_preview", False)
            or rendering_shell(request)
        ):
            return serve(page, request, args, kwargs)
        return _serve_shell(
            page, request, lambda: serve(page, request, args, kwargs), whole=True
        )

    return inner


def serve_with_personal_parts(page, request, serve):
    """Serve `page` to a signed-in person from the shell shared by those who may
    see the same, with their personal parts rendered in.

    `serve()` renders the whole page; the page's
    `personal_part_renderer(request)` returns a function rendering one of its
    own personal parts (`{% personal %}`) for this person, as `{% personal %}`
    does in a whole page; personal includes (`personal_include`) need no page.
    Anybody else (anonymous visitors, whose whole page is cached; people with
    a message pending or admin access; previews; restricted pages) gets
    `serve()`. Once the shell is stored, `SignedInPageCacheMiddleware` fills it
    without routing the request to the page (`fill_stored_shell`).
    """
    key = getattr(request, "signed_in_page_cache_key", None)
    if key is None or getattr(request, "is_preview", False):
        return serve()
    if not page_is_public(page):
        return serve()
    return _serve_shell(page, request, serve, whole=False)


def _serve_shell(page, request, serve, *, whole: bool):
    """The shell of `page` for this request's signed-in key (stored, or
    rendered and stored when it may be), filled with this person's parts.

    `whole`: the page was opted in and found public by `serve_public_pages`
    (which marks the response it may store); a rendering without personal
    parts is then returned as it is, for the middleware to store whole.
    """
    shell = shell_key(request.signed_in_page_cache_key)
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
        if response.status_code != 200 or response.streaming:
            return response
        if whole and prefix.encode() not in response.content:
            return response  # Nothing personal: a page like any other.
        names = _part_names(prefix, response.content.decode())
        if not whole:
            mark_cacheable(response)
        # Whole pages: only if `serve_public_pages` marked it.
        storable = generation is not None and response_is_storable(
            request, response, signed_in=True
        )
        generation_id = None if generation is None else generation[0]
        headers = [(name, value) for name, value in response.items()]
        content = prefix.encode() + b"\n" + response.content
        # What to fill it for: the page, found again without routing, when it
        # renders parts of its own.
        own_parts = any(not name.startswith(INCLUDE) for name in names)
        page_ref = (page._meta.label_lower, page.pk) if own_parts else None
        entry = (generation_id, 200, headers, content, time.time(), page_ref)
        if storable:
            _put(shell, generation, entry, page_dependencies(page, request))
    return _filled(entry, request, _page_parts(page, request), hit=hit)


def _page_parts(page, request):
    """The renderer of `page`'s own parts, made only if one is filled."""
    renderer = None

    def render(template_name):
        nonlocal renderer
        if renderer is None:
            renderer = page.personal_part_renderer(request)
        return renderer(template_name)

    return render


def fill_stored_shell(request, entry: tuple) -> HttpResponse | None:
    """The page of a stored shell with this person's parts, or None if the page
    is no longer live (then it is routed and served as usual).

    The shell was stored for the same key (URL, membership, restrictions not
    passed) in the current generation, while the page was public, and the tags
    it depends on are unchanged: any change since (publication, restriction,
    move) would have started a new generation or bumped its `page:` tag. So
    the page only has to be read for the context of its own parts, in one
    query, and not at all when the shell holds only personal includes (the
    follow button).
    """
    if entry[5] is None:
        return _filled(entry, request, None, hit=True)
    label, pk = entry[5]
    page = apps.get_model(label).objects.live().filter(pk=pk).first()
    if page is None:
        return None
    return _filled(entry, request, page.personal_part_renderer(request), hit=True)


def _part_names(prefix: str, html: str) -> set[str]:
    return set(re.findall(rf"<!--{prefix}:([^>]+?)-->", html))


def _filled(entry: tuple, request, render_part, *, hit: bool) -> HttpResponse:
    prefix, _newline, shell = entry[3].partition(b"\n")
    prefix, html = prefix.decode(), shell.decode()
    for name in _part_names(prefix, html):
        if name.startswith(INCLUDE):
            part = _render_marked_include(request, name)
        else:
            part = render_part(name)
        html = html.replace(_marker(prefix, name), part)
    response = response_from(entry)
    response.content = html
    response[HEADER] = "HIT" if hit else "MISS"
    return response
