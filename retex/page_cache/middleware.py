"""The two middlewares: anonymous visitors, then signed-in people."""

from __future__ import annotations

from retex.page_cache.keys import (
    HEADER,
    enabled,
    request_key,
    response_is_storable,
    signed_in_request_key,
)
from retex.page_cache.shells import fill_stored_shell, shell_key
from retex.page_cache.storage import lookup, lookup_any, response_from, store

# --- The middleware ------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous visitors' stored pages; store the ones that qualify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request_key(request) if enabled() else None
        if key is None:
            return self.get_response(request)
        ticket, entry = lookup(key)
        if entry is not None:
            return response_from(entry, request)
        request.page_cache_key = key
        response = self.get_response(request)
        if ticket is not None and response_is_storable(request, response):
            # Sent as it is stored (compressed, with its ETag), as a hit is.
            return response_from(store(key, ticket, response), request, hit=False)
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
        ticket, found = lookup_any([key, shell])
        if key in found:
            return response_from(found[key], request)
        if shell in found:
            response = fill_stored_shell(request, found[shell])
            if response is not None:
                return response
        request.signed_in_page_cache_key = key
        response = self.get_response(request)
        if ticket is not None and response_is_storable(
            request, response, signed_in=True
        ):
            return response_from(store(key, ticket, response), request, hit=False)
        # "HIT" when the page was made from a stored shell (personal parts).
        response.setdefault(HEADER, "MISS")
        return response
