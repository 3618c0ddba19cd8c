"""Serving Wagtail pages in fewer queries, with Wagtail's rules unchanged.

`serve_page` replaces `wagtail.views.serve` in the URLconf (`project/urls.py`,
same pattern and name: `wagtail_serve`). It does what Wagtail's view does —
find the site, route the path, run the `on_serve_page` and `before_serve_page`
hooks, serve — with two differences in cost only (issue #19, « Where the time
goes » in docs/benchmark.md):

- **Routing in one query.** Wagtail routes one level at a time: a query for
  the children of each page along the path, and one for each page's specific
  class (6 queries for an event page). Here the pages of the path are read at
  once (every page under the site root whose slug is one of the path's
  components, at the depths they could have), walked in Python with Wagtail's
  rule (the child of the previous page with the component as slug), then the
  last page's specific row: 2 queries. The walk stops and hands the rest of
  the path to Wagtail's own `route` (a query per level, as before) wherever
  it cannot decide the way Wagtail would: a page class that overrides
  `route` (a `RoutablePageMixin` event page gets its remaining components:
  `inscription/`…), a component no child has (the 404 or the sub-route is
  Wagtail's), two children with one slug, internationalisation on.
- **The view restrictions read once.** Wagtail's `check_view_restrictions`
  (an `on_serve_page` hook) reads the restrictions of the page and its
  ancestors (2 queries) on every request; the visibility rule
  (`retex.visibility`) has already read every restriction for the teaser.
  When none of them is on the page or an ancestor (path prefix) and no page
  on the way is an alias, Wagtail's hook would find nothing and change
  nothing: it is left out of the chain. Otherwise it runs as before
  (passwords, login redirects, `never_cache`).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve_chain

# Wagtail's site matching (`wagtail.models.sites.get_site_for_hostname`).
_HOSTNAME_PORT, _HOSTNAME_DEFAULT, _DEFAULT, _HOSTNAME = 0, 1, 2, 3


def find_site(request) -> Site | None:
    """`Site.find_for_request`, ranking the (few) candidate sites in Python
    rather than with a CASE expression the ORM builds on every request."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    candidates = list(
        Site.objects.filter(Q(hostname=hostname) | Q(is_default_site=True))
        .select_related("root_page")
        .order_by()
    )

    def rank(site):
        if site.hostname == hostname and str(site.port) == str(port):
            return _HOSTNAME_PORT
        if site.hostname == hostname and site.is_default_site:
            return _HOSTNAME_DEFAULT
        return _DEFAULT if site.is_default_site else _HOSTNAME

    for site in candidates:
        site.match = rank(site)
    candidates.sort(key=lambda site: site.match)
    site = None
    if candidates:
        first = candidates[0]
        if len(candidates) == 1 or first.match in (_HOSTNAME_PORT, _HOSTNAME_DEFAULT):
            site = first
        elif first.match == _DEFAULT:
            site = candidates[len(candidates) == 2]
    request._wagtail_site = site
    return site


def _overrides_route(page: Page) -> bool:
    specific_class = page.specific_class
    return specific_class is None or specific_class.route is not Page.route


def route(request, path: str) -> RouteResult | None:
    """`Page.route_for_request(request, path)`, remembered on the request the
    same way (`_wagtail_route_for_request`)."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    try:
        site = find_site(request)
        result = _route(request, site, path) if site else None
    except Http404:
        result = None
    request._wagtail_route_for_request = result
    return result


def _route(request, site: Site, path: str) -> RouteResult:
    components = [component for component in path.split("/") if component]
    root = site.root_page
    request._retex_route_aliases = bool(root.alias_of_id) or root.depth > 2
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not components:
        return root.localized.specific.route(request, components)
    if _overrides_route(root):
        return root.specific.route(request, components)
    candidates = Page.objects.filter(
        slug__in=set(components),
        path__startswith=root.path,
        depth__gt=root.depth,
        depth__lte=root.depth + len(components),
    ).order_by()
    children: dict[tuple[str, str], list[Page]] = {}
    for page in candidates:
        parent_path = page.path[: -Page.steplen]
        children.setdefault((parent_path, page.slug), []).append(page)
    parent = root
    chain = [root]
    for index, component in enumerate(components):
        found = children.get((parent.path, component), [])
        if len(found) != 1:
            # No such child (Wagtail answers 404 or a sub-route), or two:
            # Wagtail's own lookup decides, from here.
            return parent.specific.route(request, components[index:])
        page = found[0]
        page._cached_parent_obj = parent
        request._retex_route_aliases |= bool(page.alias_of_id)
        if index + 1 < len(components) and _overrides_route(page):
            return page.specific.route(request, components[index + 1 :])
        parent = page
        chain.append(page)
    result = parent.specific.route(request, [])
    if root.depth == 2:
        # The page's ancestors below the tree's root, as `get_ancestors()`
        # would read them (the breadcrumbs, `retex_tags.breadcrumbs`).
        result.page._retex_ancestors = chain[:-1]
    return result


def _restricted(page: Page, request) -> bool:
    """Whether Wagtail's `check_view_restrictions` could find anything for
    `page`: a restriction on it or an ancestor, or an alias on the way."""
    from retex.visibility import every_restriction

    if getattr(request, "_retex_route_aliases", True) or page.alias_of_id:
        return True
    return any(
        page.path.startswith(restriction.page.path)
        for restriction in every_restriction(request.user)
    )


def serve_page(request, path):
    """`wagtail.views.serve`, routed and checked with fewer queries."""
    from wagtail.wagtail_hooks import check_view_restrictions

    route_result = route(request, path)
    if route_result is None:
        raise Http404
    page, args, kwargs = route_result

    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if fn is check_view_restrictions and not _restricted(page, request):
            continue  # It would read the restrictions again and find none.
        on_serve_chain = fn(on_serve_chain)

    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result

    return on_serve_chain(page, request, args, kwargs)
