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

`SecretPathFilter` does the same to the lines Django writes itself with the
path in them ("Not Found: /mon-espace/agenda/[token].ics", "Internal Server
Error: …", CSRF failures, the development server's request lines): it is set on
those loggers (see LOGGING in settings), so no handler ever sees the secret.
"""

import contextvars
import logging
import re
import time
import uuid
from urllib.parse import quote, unquote

from django.http import Http404, HttpRequest
from django.urls import resolve
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


def secret_parts(request=None, *, path: str | None = None) -> list[tuple[str, str]]:
    """(name, value) of the secret parts of a request's URL (or of `path`),
    longest value first."""
    match = getattr(request, "resolver_match", None) if request is not None else None
    if match is None:
        try:
            match = resolve(path if path is not None else request.path_info)
        except Http404:
            return []
    return sorted(
        (
            (name, str(value))
            for name, value in match.kwargs.items()
            if name in SECRET_URL_KWARGS and value
        ),
        key=lambda item: -len(item[1]),
    )


def redact(text: str, secrets: list[tuple[str, str]]) -> str:
    """`text` with each secret value replaced by its name, however it is written:
    as is, percent-encoded, or escaped as Django escapes what it logs."""
    for name, value in secrets:
        escaped = value.encode("unicode_escape").decode("ascii")
        for form in dict.fromkeys((value, escaped, quote(value, safe=""))):
            text = text.replace(form, f"[{name}]")
    return text


def loggable_path(request) -> str:
    """The request's path, without query string and with secret parts masked;
    percent-encoded, so that a path cannot write a fake line into the log."""
    return escape_uri_path(redact(request.path, secret_parts(request)))


# The development server's request line: "GET /path?query HTTP/1.1".
_REQUEST_LINE = re.compile(r"^[A-Z]+ (/[^ ?]*)")


class SecretPathFilter(logging.Filter):
    """Masks secret URL parts in records that carry a request path (Django's
    "Not Found: …", "Internal Server Error: …", CSRF failures, runserver's
    lines). Set on those loggers; filters nothing out."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            secrets = secret_parts(request)
        else:
            first = record.args[0] if isinstance(record.args, tuple) else None
            found = _REQUEST_LINE.match(first) if isinstance(first, str) else None
            secrets = secret_parts(path=unquote(found.group(1))) if found else []
        if secrets:
            if isinstance(record.msg, str):
                record.msg = redact(record.msg, secrets)
            if isinstance(record.args, tuple):
                record.args = tuple(
                    redact(arg, secrets) if isinstance(arg, str) else arg
                    for arg in record.args
                )
        return True


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
