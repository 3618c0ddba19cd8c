"""Request ids and one access line per request, for operators.

`RequestLogMiddleware` is the first middleware: it gives each request an id (the
one a proxy sent in `X-Request-ID` when it looks like an id, else a new one),
returns it in the response's `X-Request-ID` header, and logs one line on the
"retex.access" logger once the response is ready:

    GET /ressources/ 200 12.3ms

`RequestIdFilter`, set on the log handlers (see LOGGING in settings), writes the
id on every record logged while the request runs (`%(request_id)s`, "-" outside
requests), so an error, a slow query or an email failure can be traced back to
the request, and to the proxy's own log through the same id.

The line holds nothing personal or secret: no query string (searches, filters,
tokens), no user, no address, no header; the path only, with the values of
secret URL parts (calendar tokens, password reset and email confirmation keys)
replaced by their name.
"""

import contextvars
import logging
import re
import time
import uuid

from django.utils.encoding import escape_uri_path

access_logger = logging.getLogger("retex.access")

HEADER = "X-Request-ID"
# What an id from a proxy may look like: nginx's $request_id (32 hex digits), a
# UUID, a load balancer's trace id. Anything else is replaced.
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:=+/-]{7,127}$")
# URL parameters whose values are secrets: private calendar feed tokens, password
# reset and email confirmation keys (and the user id coded with them).
SECRET_URL_KWARGS = ("token", "key", "uidb36", "uidb64")

_request_id = contextvars.ContextVar("retex_request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


def incoming_or_new_id(value: str | None) -> str:
    if value and _SANE_ID.match(value):
        return value
    return uuid.uuid4().hex


def loggable_path(request) -> str:
    """The request's path, without query string and with secret parts masked;
    percent-encoded, so that a path cannot write a fake line into the log."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return escape_uri_path(path)
    secrets = sorted(
        (
            (name, str(value))
            for name, value in match.kwargs.items()
            if name in SECRET_URL_KWARGS and value
        ),
        key=lambda item: -len(item[1]),
    )
    for name, value in secrets:
        path = path.replace(value, f"[{name}]")
    return escape_uri_path(path)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (for the formatter); filters nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs 4xx/5xx answers ("Not Found: /…") after the middleware
            # chain has returned, with the request attached to the record.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or (
                _request_id.get()
            )
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_or_new_id(request.headers.get(HEADER))
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            access_logger.info(
                "%s %s %s %.1fms",
                re.sub(r"[^A-Z]", "?", request.method.upper()[:16]),
                loggable_path(request),
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            return response
        finally:
            _request_id.reset(token)
