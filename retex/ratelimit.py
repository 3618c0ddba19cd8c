"""Rate limits of the site's own actions (event registration, the search API).

allauth counts its own actions (login, sign-up, password reset: see
`ACCOUNT_RATE_LIMITS`); this module counts ours, with the same vocabulary
("amount/period", e.g. "30/10m") read from `RETEX_RATE_LIMITS`, and the same
client address: `client_ip` is also what allauth uses (through
`AccountAdapter`), so both agree on who the client is behind the reverse proxies.

Counting: one counter per action, person and time window in Django's default
cache (`cache.add` then `cache.incr`, atomic on Redis). A fixed window lets a
client reach at most twice the amount across a window boundary, a price paid
for one cache round trip per request instead of a lock and a list of
timestamps. With several web processes the cache must be shared (`REDIS_URL`):
an in-process cache counts each process alone.

Who is counted: the account when someone is logged in (colleagues behind one
town hall address do not share a budget), otherwise the client address. IPv6
addresses are counted per /64 network, as allauth does: one machine usually owns
a whole /64 and could otherwise change address at every request.
"""

import functools
import hashlib
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

UNKNOWN_CLIENT = "unknown"
IPV6_PREFIX = 64

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    amount: int
    period: int  # seconds


def parse_rate(text: str) -> Rate:
    """ "30/10m" → 30 requests per 600 seconds; "60/m" → 60 per minute."""
    match = _RATE.match(text or "")
    if match is None:
        raise ImproperlyConfigured(
            f"A rate limit is written 'amount/period' (e.g. '30/10m'), not {text!r}"
        )
    amount, count, unit = match.groups()
    period = int(count or 1) * _UNITS[unit]
    if period <= 0:
        raise ImproperlyConfigured(f"A rate limit needs a period, not {text!r}")
    return Rate(amount=int(amount), period=period)


def rate_for(action: str) -> Rate | None:
    """The configured rate of `action`, or None when it is not limited."""
    text = getattr(settings, "RETEX_RATE_LIMITS", {}).get(action)
    return parse_rate(text) if text else None


# --- Who is the client -----------------------------------------------------------


def _parse_ip(value: str | None) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address, as seen through `TRUSTED_PROXY_COUNT` proxies.

    Each reverse proxy appends the address it received the request from to
    `X-Forwarded-For`, so with N trusted proxies the Nth entry from the end was
    written by our outermost proxy: anything before it is whatever the client
    sent, and is ignored. Without proxies (N = 0) the header is ignored
    altogether. A header shorter than N (a request that did not go through every
    proxy) or an entry that is not an address falls back to the connection's
    address: a client can never pick its own address, it can at worst be counted
    together with others.
    """
    remote = _parse_ip(request.META.get("REMOTE_ADDR"))
    count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            address = _parse_ip(hops[-count])
            if address:
                return address
    return remote or UNKNOWN_CLIENT


def _client_network(request) -> str:
    address = client_ip(request)
    if ":" in address:
        network = ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False)
        return str(network.network_address)
    return address


def client_identity(request) -> str:
    """Who a request is counted for: its account, or else its client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{_client_network(request)}"


class AccountAdapter(DefaultAccountAdapter):
    """allauth's per-IP rate limits see the same client as ours.

    allauth's own reading of `X-Forwarded-For` answers a server error when the
    header has fewer entries than the trusted proxy count; `client_ip` falls back
    to the connection's address instead.
    """

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Links in allauth's emails (verification, password reset, "account
        # already exists") are built from the request's host: put them on
        # BASE_URL like every other absolute link (retex.links).
        from retex.links import absolute_url

        context = {
            name: absolute_url(value)
            if name.endswith("_url") and isinstance(value, str) and value
            else value
            for name, value in context.items()
        }
        super().send_mail(template_prefix, email, context)


# --- Counting --------------------------------------------------------------------


def _cache_key(action: str, identity: str, window: int) -> str:
    # Hashed: the cache holds no address or account id in clear.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"retex:rl:{action}:{digest}:{window}"


def _count(key: str, timeout: int) -> int:
    # One second more than the window, so that the counter outlives it.
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=timeout)
        return 1


def consume(request, action: str) -> int | None:
    """Count one request for `action`; the seconds to wait if over the limit.

    None means the request may go on (or the action is not limited).
    """
    rate = rate_for(action)
    if rate is None:
        return None
    now = time.time()
    window = int(now // rate.period)
    key = _cache_key(action, client_identity(request), window)
    try:
        used = _count(key, rate.period + 1)
    except Exception:
        # A cache that is down must not take the site with it: the request goes
        # on uncounted, and operators see why in the log.
        logger.warning("rate limit not counted: cache unavailable", exc_info=True)
        return None
    if used <= rate.amount:
        return None
    return max(1, math.ceil((window + 1) * rate.period - now))


def clear(request, action: str) -> None:
    """Forget what `request`'s client used of `action` in the current window."""
    rate = rate_for(action)
    if rate is not None:
        window = int(time.time() // rate.period)
        cache.delete(_cache_key(action, client_identity(request), window))


# --- Answers ---------------------------------------------------------------------


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)s seconde", "%(n)s secondes", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def _limited(response, retry_after: int):
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def too_many_requests_page(request, retry_after: int):
    """The 429 page (site/templates/429.html) saying how long to wait."""
    response = render(
        request,
        "429.html",
        {"rate_limited": True, "wait": _wait_text(retry_after)},
        status=429,
    )
    return _limited(response, retry_after)


def too_many_requests_json(request, retry_after: int):
    message = _(
        "Trop de requêtes en peu de temps. Merci de réessayer dans %(wait)s."
    ) % {"wait": _wait_text(retry_after)}
    response = JsonResponse(
        {"error": message, "retry_after": retry_after},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    return _limited(response, retry_after)


def rate_limited(action: str, *, methods=("POST",), answer=too_many_requests_page):
    """Decorate a view: requests with one of `methods` count against `action`;
    past the limit the view is not called and `answer` (429) is returned."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                retry_after = consume(request, action)
                if retry_after is not None:
                    return answer(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
