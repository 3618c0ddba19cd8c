"""Whole pages kept in the cache for anonymous visitors, and thrown away on change.

Most visits are anonymous and most pages are the same for every anonymous
visitor, so a page rendered once can be sent again as bytes: no session, no
database, no template. `wagtail-cache` would do this but does not support
Wagtail 8, hence this module. The rules, and why:

- **Opt-in.** Only responses a view marked (`mark_cacheable`, `cacheable`) are
  stored: Wagtail pages whose class sets `anonymous_page_cache = True` and that
  no view restriction covers (`serve_public_pages`, an `on_serve_page` hook),
  and a few public feeds. Nothing else is ever stored, whatever its headers.
- **Only anonymous visitors, both ways.** A request is looked up only when it is
  a GET or HEAD without session or messages cookie (so nobody logged in, and
  nobody with a pending message or a page password, ever gets a stored copy),
  and a response is stored only if such a request produced it for an anonymous
  user, with status 200, no cookie set, nothing `private`/`no-store`, no CSP
  nonce (a nonce must differ on every response) and no `Vary` but on `Cookie`
  or `Accept-Language` (the site has one language). A page holding a CSRF token
  sets the CSRF cookie, so it is never stored.
- **Signed-in people: shared by those who may see the same.** Pages whose
  class also sets `signed_in_page_cache = True` show a signed-in person nothing
  of their own (the header reads "Mon espace" for everyone): what differs is
  what they may see. `SignedInPageCacheMiddleware`, after authentication and
  messages, keys them by URL, whether the person is a member of the network
  and the view restrictions they do not pass (`signed_in_request_key`), never
  by person; anonymous and signed-in copies never mix. Not looked up for
  people with a message pending or with access to the admin (Wagtail's user
  bar); not stored when the page used a CSRF token or changed the session.
- **Pages with personal parts: the rest is shared.** A page that shows each
  person something of their own (an event's registration panel) marks those
  parts in its template with `{% personal "template.html" %}` and serves
  itself through `serve_with_personal_parts`: for the people who share a
  signed-in key, the page is rendered once with a marker in place of each
  part (the "shell", stored like a page), and each request renders only the
  personal parts, with the person's own context and CSRF token, into a copy of
  it. The shell never holds anything personal: the parts are not rendered in
  it at all. A stored shell is filled by the middleware, without routing the
  request to the page (`fill_stored_shell`).
- **Before sessions and authentication.** The middleware sits right after
  WhiteNoise: a hit costs no database query and at most one round trip to the
  shared cache, none when this process served the page within the last second
  (`ProcessState`): then it is as cheap as a static file. The headers stored
  are those the inner middleware (CSP, X-Frame-Options, Permissions-Policy…)
  added on the way out; SecurityMiddleware and anything above this one run on
  hits too.
- **Invalidation by generation.** Every entry carries the generation current
  when its request started; any change that may show on a page (any model saved
  or deleted, but the bookkeeping listed in `IGNORED_MODELS`; page publication,
  move, deletion; every `migrate`, so a deployment starts afresh) starts a new
  generation once its transaction commits, and older entries are never served
  again (by the other processes, after at most `LOCAL_SECONDS`). Coarse but
  complete: nobody has to remember which page shows what.
- **Bounded life.** Entries expire after `PAGE_CACHE_SECONDS`, so what changes
  with time alone (upcoming events, registration windows) is stale at most
  that long. 0 turns the whole cache off.
- **The cache may fail.** Any cache error is logged and the request goes on
  uncached; the cache is then left alone for a few seconds, and a new
  generation is started once it answers again (changes made meanwhile could not
  be recorded).

The cache is the `pages` alias of `CACHES` (Redis with `REDIS_URL`, shared by
every web process and the worker; otherwise in-process memory). Every response
that was looked up carries `X-Cache: HIT` or `X-Cache: MISS`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.html import format_html
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
KEY_PREFIX = "page:v1:"
FRAGMENT_PREFIX = "fragment:v1:"
SIGNED_IN_PREFIX = "page-signed-in:v1:"
SHELL_PREFIX = "page-shell:v1:"
GENERATION_KEY = "page:generation"
HEADER = "X-Cache"
# Pages larger than this are rendered each time rather than filling the cache.
MAX_BYTES = 2 * 1024 * 1024
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

# Models whose rows no cached page shows: saving them must not empty the cache
# (some are written while pages render or during every login).
IGNORED_APPS = {
    "account",
    "mfa",
    "sessions",
    "contenttypes",
    "django_tasks_database",
    "search",  # search documents and statistics: search is never page-cached
    "wagtailsearch",
}
IGNORED_MODELS = {
    "events.calendartoken",
    "knowledge.documenttext",
    "members.user",
    "members.user_groups",
    "members.user_user_permissions",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.revision",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflowstate",
    "wagtailembeds.embed",
    "wagtailforms.formsubmission",
    "wagtailimages.rendition",
    "wagtailusers.userprofile",
}
# Saves limited to these fields change nothing a visitor sees (drafts, locks,
# reminders sent).
PAGE_BOOKKEEPING_FIELDS = {
    COMMENTS_RELATION_NAME,
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}
BOOKKEEPING_FIELDS = {
    "events.registration": {
        "attended",
        "certificate_code",
        "reminder_sent_at",
        "waitlist_notice_sent_at",
    },
}


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
        return response

    return serve_and_mark


def _is_page_itself(request, args, kwargs) -> bool:
    """Whether Wagtail routed the request to the page itself, not a sub-route: no
    route arguments, or a routable page's own URL (`RoutablePageMixin`'s index
    route, its empty sub-path)."""
    if not args and not kwargs:
        return True
    match = getattr(request, "routable_resolver_match", None)
    return match is not None and match.url_name == "index_route"


# --- The rules -----------------------------------------------------------------------


def known_generation() -> str | None:
    """The generation this process knows to be current (read from the shared
    cache within `LOCAL_SECONDS`, or started here), or None."""
    state = _state
    if not enabled() or state.generation is None:
        return None
    if time.monotonic() - state.generation_read_at > LOCAL_SECONDS:
        return None
    return state.generation


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
    of their own: what differs from one person to the next is what they may
    see. So the key is the URL and that, never the person: whether they are a
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
    if signed_in:
        # A CSRF token in the page is this person's: never shown to another.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        if request.session.modified:
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


# --- The cache -----------------------------------------------------------------------


class ProcessState:
    """What one process remembers between requests.

    Besides the shared cache, each process keeps its own copies of the pages it
    served lately, and of the generation: for `LOCAL_SECONDS` it serves them
    without asking the shared cache (a hit then costs no network round trip, as
    cheap as a static file). A change made in this process shows at once; one
    made in another process shows here within `LOCAL_SECONDS`.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.failed_at: float | None = None
        self.generation_lost = False
        self.generation: str | None = None
        self.generation_read_at = 0.0
        self.entries: OrderedDict[str, tuple] = OrderedDict()

    def local_entry(self, key: str) -> tuple | None:
        if self.generation is None:
            return None
        if time.monotonic() - self.generation_read_at > LOCAL_SECONDS:
            return None
        with self.lock:
            entry = self.entries.get(key)
        if entry is None or entry[0] != self.generation or _expired(entry):
            return None
        return entry

    def set_generation(self, generation: str | None) -> None:
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
            self.generation = generation
            self.generation_read_at = time.monotonic()

    def keep(self, key: str, entry: tuple) -> None:
        with self.lock:
            if entry[0] != self.generation:
                return
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > LOCAL_MAX_ENTRIES:
                self.entries.popitem(last=False)


_state = ProcessState()


def _cache():
    return caches[CACHE_ALIAS]


def _expired(entry: tuple) -> bool:
    return time.time() - entry[4] >= settings.PAGE_CACHE_SECONDS


def _available() -> bool:
    failed_at = _state.failed_at
    return failed_at is None or time.monotonic() - failed_at > RETRY_AFTER


def _failed(action: str, error: Exception) -> None:
    _state.failed_at = time.monotonic()
    logger.warning("Page cache unavailable (%s): %r", action, error)


def _read(keys: list[str]) -> tuple[str | None, dict]:
    """The current generation and what the shared cache holds under `keys`, in
    one round trip.

    (None, {}) when the cache cannot be used: nothing is served nor stored.
    """
    state = _state
    if not _available():
        return None, {}
    # A change made while the cache was failing could not be recorded: start a
    # new generation before trusting anything stored earlier.
    if state.generation_lost and not new_generation():
        return None, {}
    cache = _cache()
    try:
        found = cache.get_many([GENERATION_KEY, *keys])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception as error:  # Any backend error: serve uncached.
        _failed("lookup", error)
        return None, {}
    state.failed_at = None
    state.set_generation(generation)
    return generation, {key: found.get(key) for key in keys}


def lookup_any(keys: list[str]) -> tuple[str | None, dict[str, tuple]]:
    """The current generation and the entries stored for it under `keys` (those
    found): this process's own copies if one is recent enough, else what the
    shared cache holds, in one round trip.

    (None, {}) when the cache cannot be used: nothing is served nor stored.
    """
    for key in keys:
        entry = _state.local_entry(key)
        if entry is not None:
            return entry[0], {key: entry}
    generation, stored = _read(keys)
    found = {}
    for key, entry in stored.items():
        if entry is not None and entry[0] == generation and not _expired(entry):
            _state.keep(key, entry)
            found[key] = entry
    return generation, found


def lookup(key: str) -> tuple[str | None, tuple | None]:
    """The current generation and the page stored under `key` for it, if any.

    (None, None) when the cache cannot be used: nothing is served nor stored.
    """
    generation, found = lookup_any([key])
    return generation, found.get(key)


def store(key: str, generation: str, response) -> None:
    headers = [
        (name, value) for name, value in response.items() if name.lower() != "x-cache"
    ]
    entry = (generation, response.status_code, headers, response.content, time.time())
    _put(key, entry)


def _put(key: str, entry: tuple) -> None:
    try:
        _cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        _failed("store", error)
        return
    _state.keep(key, entry)


def response_from(entry: tuple) -> HttpResponse:
    _generation, status, headers, content, stored_at = entry[:5]
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Age"] = str(max(0, int(time.time() - stored_at)))
    response[HEADER] = "HIT"
    return response


def new_generation() -> bool:
    """Start a new generation now: every stored page is out of date."""
    generation = uuid.uuid4().hex
    try:
        _cache().set(GENERATION_KEY, generation, timeout=None)
    except Exception as error:
        _state.generation_lost = True
        _state.set_generation(None)
        _failed("invalidation", error)
        return False
    _state.generation_lost = False
    _state.set_generation(generation)
    return True


def invalidate(using: str | None = None) -> None:
    """Start a new generation once the current transaction commits (at once
    without one): a request that read the database before the commit must not
    store its page under the new generation."""
    transaction.on_commit(new_generation, using=using)


def remember_for_visibility(name: str, *, user, compute, params=()):
    """`compute()`, shared by everybody who may see the same pages.

    For parts of personalised pages that cost the same whatever the person but
    depend on what they may see (the years of the resources listing, the counts
    of the directory filters): kept under the view restrictions the person does
    not pass (`retex.visibility.failed_restrictions`, what `pages_visible_to`
    hides), never under the person; with the pages' generation and expiry, so a
    change shows at once. `compute` must depend on nothing else than the pages
    visible and `params`. Computed each time when the page cache is off or
    failing.
    """
    from retex.visibility import failed_restrictions

    if not enabled():
        return compute()
    hidden = sorted(restriction.pk for restriction in failed_restrictions(user))
    address = repr((name, hidden, params))
    key = FRAGMENT_PREFIX + _digest(address)
    generation, stored = _read([key])
    entry = stored.get(key)
    if generation is None:
        return compute()
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    try:
        _cache().set(key, (generation, value), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        _failed("store", error)
    return value


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
        headers = [(name, value) for name, value in response.items()]
        content = prefix.encode() + b"\n" + response.content
        # What to fill it for: the page, found again without routing.
        page_ref = (page._meta.label_lower, page.pk)
        entry = (generation, 200, headers, content, time.time(), page_ref)
        if storable:
            _put(shell, entry)
    return _filled(entry, page.personal_part_renderer(request), hit=hit)


def fill_stored_shell(request, entry: tuple) -> HttpResponse | None:
    """The page of a stored shell with this person's parts, or None if the page
    is no longer live (then it is routed and served as usual).

    The shell was stored for the same key (URL, membership, restrictions not
    passed) in the current generation, while the page was public: any change
    since (publication, restriction, move) would have started a new one. So
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


# --- The middleware ------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous visitors' stored pages; store the ones that qualify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request_key(request) if enabled() else None
        if key is None:
            return self.get_response(request)
        generation, entry = lookup(key)
        if entry is not None:
            return response_from(entry)
        request.page_cache_key = key
        response = self.get_response(request)
        if generation is not None and response_is_storable(request, response):
            store(key, generation, response)
        response[HEADER] = "MISS"
        return response


class SignedInPageCacheMiddleware:
    """Serve signed-in people the stored pages of those who may see the same
    (`signed_in_request_key`); store the ones that qualify. After sessions,
    authentication and messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = signed_in_request_key(request) if enabled() else None
        if key is None:
            return self.get_response(request)
        # The page itself, or the shell of a page with personal parts.
        shell = shell_key(key)
        generation, found = lookup_any([key, shell])
        if key in found:
            return response_from(found[key])
        if shell in found:
            response = fill_stored_shell(request, found[shell])
            if response is not None:
                return response
        request.signed_in_page_cache_key = key
        response = self.get_response(request)
        if generation is not None and response_is_storable(
            request, response, signed_in=True
        ):
            store(key, generation, response)
        # "HIT" when the page was made from a stored shell (personal parts).
        response.setdefault(HEADER, "MISS")
        return response


# --- Invalidation --------------------------------------------------------------------


def change_is_visible(sender, update_fields=None) -> bool:
    """Whether saving or deleting a `sender` row may change a page."""
    meta = sender._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return False
    if update_fields:
        if issubclass(sender, Page):
            bookkeeping = PAGE_BOOKKEEPING_FIELDS
        else:
            bookkeeping = BOOKKEEPING_FIELDS.get(meta.label_lower, set())
        if set(update_fields) <= bookkeeping:
            return False
    return True


def _row_saved(sender, update_fields=None, using=None, **kwargs):
    if change_is_visible(sender, update_fields):
        invalidate(using)


def _row_deleted(sender, using=None, **kwargs):
    if change_is_visible(sender):
        invalidate(using)


def _relation_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_") and change_is_visible(sender):
        invalidate(using)


def _page_event(sender, **kwargs):
    invalidate()


def _migrated(sender, using=None, **kwargs):
    # Every deployment runs `migrate`: pages rendered by the previous release
    # (older templates, static files that no longer exist) are dropped.
    invalidate(using)


def connect_signals() -> None:
    """Called once from `RetexConfig.ready`."""
    uid = "retex.page_cache"
    post_save.connect(_row_saved, dispatch_uid=f"{uid}.save", weak=False)
    post_delete.connect(_row_deleted, dispatch_uid=f"{uid}.delete", weak=False)
    m2m_changed.connect(_relation_changed, dispatch_uid=f"{uid}.m2m", weak=False)
    # Publication and moves also write rows, but not always through `save`
    # (treebeard moves descendants with UPDATE statements).
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_event, dispatch_uid=f"{uid}.{id(signal)}", weak=False)
    post_migrate.connect(_migrated, dispatch_uid=f"{uid}.migrate", weak=False)
