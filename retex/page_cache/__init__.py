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
  request to the page (`fill_stored_shell`). Parts that need only the request
  and a few values (the follow button) are `personal_include`s, which any
  page signed-in people share may show: such pages are served through
  `serve_pages_with_personal_parts` (an `on_serve_page` hook), stored whole
  when they showed none.
- **Before sessions and authentication.** The middleware sits right after
  WhiteNoise: a hit costs no database query and at most one round trip to the
  shared cache, none when this process served the page within the last second
  (`ProcessState`): then it is as cheap as a static file. The headers stored
  are those the inner middleware (CSP, X-Frame-Options, Permissions-Policy…)
  added on the way out; SecurityMiddleware and anything above this one run on
  hits too.
- **Stored compressed.** A whole page is kept as browsers get it: compressed
  once with gzip when stored, with an ETag per encoding (`If-None-Match` gets
  a 304) and `Vary: Accept-Encoding`; decompressed for the rare client that
  does not accept gzip. Stored pages hold no CSRF token and nothing personal,
  so compressing them next to reflected input (filters) leaks nothing (BREACH);
  nothing else is compressed. Shells are filled per request, uncompressed.
- **Invalidation by what a page shows.** A page class declares the tags its
  rendering depends on (`cache_dependencies()`: `page:<id>`, `kind:<model>`,
  `seats:<event id>`…; more while rendering, `depends_on`); apps declare what
  a write of their models changes
  (`invalidation.declare`, `declare_invisible`, from their `ready()`). An entry
  records the version of each of its tags when it was rendered; once a
  write's transaction commits, its tags get new versions, and entries holding
  an older one are never served again. What declares nothing depends on `*`,
  which every declared write bumps. What nobody declared (a theme, the footer,
  a view restriction), a page in the menu, a move and every `migrate` start a
  new generation: every entry is out of date. A page rendered while a change
  was recorded is not stored (`*` and the generation are read before and
  after). Other processes see a change within `LOCAL_SECONDS`.
- **Bounded life.** Entries expire after `PAGE_CACHE_SECONDS`, so what changes
  with time alone (upcoming events, registration windows) is stale at most
  that long. 0 turns the whole cache off.
- **The cache may fail.** Any cache error is logged and the request goes on
  uncached; the cache is then left alone for a few seconds, and a new
  generation is started once it answers again (changes made meanwhile could not
  be recorded).

The package: `keys` (which requests are looked up, under which key, which
responses may be stored), `storage` (the shared cache, this process's copies,
the generation, `remember_for_visibility`), `shells` (pages with personal
parts), `middleware` (the two middlewares), `invalidation` (which writes make
pages out of date, and the apps' declarations). It imports no other app.

The cache is the `pages` alias of `CACHES` (Redis with `REDIS_URL`, shared by
every web process and the worker; otherwise in-process memory). Every response
that was looked up carries `X-Cache: HIT` or `X-Cache: MISS`.
"""

from retex.page_cache.invalidation import (
    bump,
    change_is_visible,
    connect_signals,
    declare,
    declare_invisible,
    recording_bumps,
)
from retex.page_cache.keys import (
    HEADER,
    KEY_PREFIX,
    SHELL_PREFIX,
    SIGNED_IN_PREFIX,
    cacheable,
    depends_on,
    enabled,
    mark_cacheable,
    page_is_public,
    request_key,
    response_is_storable,
    serve_public_pages,
    signed_in_request_key,
)
from retex.page_cache.middleware import (
    PageCacheMiddleware,
    SignedInPageCacheMiddleware,
)
from retex.page_cache.shells import (
    fill_stored_shell,
    personal_include,
    personal_marker,
    rendering_shell,
    serve_pages_with_personal_parts,
    serve_with_personal_parts,
    shell_key,
)
from retex.page_cache.storage import (
    LOCAL_SECONDS,
    ProcessState,
    invalidate,
    invalidate_tags,
    known_generation,
    lookup,
    lookup_any,
    new_generation,
    remember_for_visibility,
    store,
)

__all__ = [
    "HEADER",
    "KEY_PREFIX",
    "LOCAL_SECONDS",
    "SHELL_PREFIX",
    "SIGNED_IN_PREFIX",
    "PageCacheMiddleware",
    "ProcessState",
    "SignedInPageCacheMiddleware",
    "bump",
    "cacheable",
    "change_is_visible",
    "connect_signals",
    "declare",
    "declare_invisible",
    "depends_on",
    "enabled",
    "fill_stored_shell",
    "invalidate",
    "invalidate_tags",
    "known_generation",
    "lookup",
    "lookup_any",
    "mark_cacheable",
    "new_generation",
    "page_is_public",
    "personal_include",
    "personal_marker",
    "recording_bumps",
    "remember_for_visibility",
    "rendering_shell",
    "request_key",
    "response_is_storable",
    "serve_pages_with_personal_parts",
    "serve_public_pages",
    "serve_with_personal_parts",
    "shell_key",
    "signed_in_request_key",
    "store",
]
