"""Keys and policy: which requests are looked up, under which key, and which
responses may be stored (see the package's docstring for the rules)."""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.utils.cache import cc_delim_re
from wagtail.models import Page

CACHE_ALIAS = "pages"
KEY_PREFIX = "page:v1:"
FRAGMENT_PREFIX = "fragment:v1:"
SIGNED_IN_PREFIX = "page-signed-in:v1:"
SHELL_PREFIX = "page-shell:v1:"
GENERATION_KEY = "page:generation"
# The version of a tag pages depend on (`retex.page_cache.invalidation`).
TAG_PREFIX = "page-tag:v1:"
HEADER = "X-Cache"
# Pages larger than this are rendered each time rather than filling the cache.
MAX_BYTES = 2 * 1024 * 1024
# Whole copies at least this large are stored gzip-compressed, once, when
# stored (`storage.stored_copy`); smaller ones gain less than the header costs.
COMPRESS_MIN_BYTES = 1024
# zlib's default: at store time only, a few milliseconds for the home page.
GZIP_LEVEL = 6
# Content types worth compressing (HTML, feeds, calendars, CSV exports, JSON).
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml")
COMPRESSIBLE_SUFFIXES = ("+xml", "+json")
# After a cache error, how long to leave the cache alone (seconds).
RETRY_AFTER = 5.0
# How long a process serves its own copies of pages before asking the shared
# cache whether they are still current (seconds; see `ProcessState`).
LOCAL_SECONDS = 1.0
LOCAL_MAX_ENTRIES = 200

# Never looked up: their own rules (rate limits, per-person content) apply.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/api/",
    "/mon-espace/",
    "/recherche/",
    "/documents/",
    "/static/",
    "/media/",
)
# `Vary` values a stored page may carry: lookups only serve requests without
# session cookie (so the `Cookie` the page varies on is irrelevant) and the site
# speaks French only.
ALLOWED_VARY = {"cookie", "accept-language"}


# --- Marking responses ---------------------------------------------------------------


def mark_cacheable(response):
    """Let the page cache keep `response` for anonymous visitors (if the request
    and the response qualify; see the module's docstring)."""
    response.page_cache = True
    return response


def cacheable(view):
    """Decorator: the view's responses may be kept for anonymous visitors."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_cacheable(view(request, *args, **kwargs))

    return wrapper


def page_is_public(page: Page) -> bool:
    """Live and behind no view restriction (its own or an ancestor's)."""
    return page.live and not page.get_view_restrictions().exists()


def serve_public_pages(serve):
    """Wagtail `on_serve_page` hook: mark the plain view of an opted-in page.

    Previews never come through here (Wagtail calls `serve_preview` directly);
    members-only pages are answered earlier by the teaser hook; pages behind a
    password by Wagtail's form. Sub-routes (`inscription/`, `evenement.ics`) are
    not marked.
    """

    def serve_and_mark(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        if getattr(request, "page_cache_key", None):
            opted_in = getattr(page, "anonymous_page_cache", False)
        elif getattr(request, "signed_in_page_cache_key", None):
            opted_in = getattr(page, "signed_in_page_cache", False)
        else:
            opted_in = False
        if (
            opted_in
            and _is_page_itself(request, args, kwargs)
            and not getattr(request, "is_preview", False)
            and page_is_public(page)
        ):
            mark_cacheable(response)

            def record_tags(response):
                # After the templates ran: tags they add (`depends_on` from
                # a template tag, e.g. the cards of related content) count.
                response.page_cache_tags = page_dependencies(page, request)

            if hasattr(response, "add_post_render_callback"):
                response.add_post_render_callback(record_tags)
            else:
                record_tags(response)
        return response

    return serve_and_mark


def depends_on(request, *tags: str) -> None:
    """While a page is rendered for `request`: it also shows what depends on
    `tags` (the related pages a knowledge page chose, say)."""
    found = getattr(request, "page_cache_tags", None)
    if found is None:
        found = request.page_cache_tags = set()
    found.update(tags)


def page_dependencies(page, request=None) -> list[str] | None:
    """The tags `page`'s rendering depends on (its class's
    `cache_dependencies()`, and what its rendering for `request` added with
    `depends_on`), or None when it declares nothing (no `cache_dependencies`,
    or one returning None): then any change recorded makes it out of date
    (`retex.page_cache.invalidation`)."""
    declared = getattr(page, "cache_dependencies", None)
    tags = declared() if declared is not None else None
    if tags is None:
        return None
    return [*tags, *getattr(request, "page_cache_tags", ())]


def _is_page_itself(request, args, kwargs) -> bool:
    """Whether Wagtail routed the request to the page itself, not a sub-route: no
    route arguments, or a routable page's own URL (`RoutablePageMixin`'s index
    route, its empty sub-path)."""
    if not args and not kwargs:
        return True
    match = getattr(request, "routable_resolver_match", None)
    return match is not None and match.url_name == "index_route"


# --- The rules -----------------------------------------------------------------------


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def _address(request) -> str | None:
    """The URL `request` is cached under, or None when it may never be served
    from the cache: not a GET/HEAD, a preview, a path with rules of its own."""
    if request.method not in ("GET", "HEAD"):
        return None
    if getattr(request, "is_dummy", False):  # Wagtail previews
        return None
    meta = request.META
    if "HTTP_AUTHORIZATION" in meta or "HTTP_X_REQUESTED_WITH" in meta:
        return None
    path = request.path
    if path.startswith(EXCLUDED_PREFIXES):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # The inner middleware answers 400.
    pairs = parse_qsl(meta.get("QUERY_STRING", ""), keep_blank_values=True)
    # Stable sort: the order of the values of one parameter is kept.
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    return f"{request.scheme}://{host}{path}?{query}"


def compressible(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith(COMPRESSIBLE_TYPES) or media_type.endswith(
        COMPRESSIBLE_SUFFIXES
    )


def accepts_gzip(request) -> bool:
    """Whether `request`'s `Accept-Encoding` allows gzip (RFC 9110 12.5.3: named,
    as `x-gzip` too, or through `*`, with a q-value above 0)."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if not header:
        return False
    star = None
    for part in header.split(","):
        coding, _sep, params = part.partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            return quality > 0
        if coding == "*":
            star = quality > 0
    return bool(star)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def request_key(request) -> str | None:
    """The cache key of an anonymous visitor's `request`, or None when it may
    not be served from the cache (a session or a message cookie, or see
    `_address`)."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    address = _address(request)
    return None if address is None else KEY_PREFIX + _digest(address)


def _has_admin_access(user) -> bool:
    """`user.has_perm("wagtailadmin.access_admin")` in one query (has_perm
    reads every permission of the person and of their groups)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if user.is_superuser:
        return True
    return (
        Permission.objects.filter(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def signed_in_request_key(request) -> str | None:
    """The cache key of a signed-in person's `request`, or None.

    Pages that opt in (`signed_in_page_cache`) show a signed-in person nothing
    of their own outside their personal parts (the registration panel, the
    follow button: rendered for each person into the stored shell,
    `retex.page_cache.shells`): what differs from one person to the next is
    what they may see. So the key is the URL and that, never the person: whether they are a
    member of the network, and the view restrictions they do not pass. People
    with a message pending, and people with access to the admin (the page then
    carries Wagtail's user bar), are never served from the cache.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if CookieStorage.cookie_name in request.COOKIES:
        return None
    address = _address(request)
    if address is None:
        return None
    if "_messages" in request.session:  # Messages kept in the session.
        return None
    if _has_admin_access(user):
        return None
    from retex.visibility import failed_restrictions, sees_members_content

    hidden = sorted(restriction.pk for restriction in failed_restrictions(user))
    return SIGNED_IN_PREFIX + _digest(
        repr((address, sees_members_content(user), hidden))
    )


def response_is_storable(request, response, *, signed_in: bool = False) -> bool:
    """Whether `response` may be sent to every anonymous visitor of its URL
    (with `signed_in`: to every signed-in person with the same key)."""
    if not getattr(response, "page_cache", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BYTES:
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated != signed_in:
        return False
    # A CSRF token in the page is this visitor's: never shown to another (for
    # anonymous visitors the CSRF cookie set with it refuses the page too), nor
    # compressed with the page (BREACH).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if signed_in and request.session.modified:
        return False
    if getattr(request, "is_preview", False):
        return False
    cache_control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    vary = {
        part.strip().lower()
        for part in cc_delim_re.split(response.get("Vary", ""))
        if part.strip()
    }
    if not vary <= ALLOWED_VARY or len(settings.LANGUAGES) > 1:
        return False
    # A CSP nonce must differ on every response (django-csp makes one only when
    # a template asks for it).
    if getattr(request, "_csp_nonce", None) is not None:
        return False
    for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
        if "'nonce-" in response.get(header, ""):
            return False
    return True
