"""`/healthz`: is this process able to serve? For load balancers and operators.

It answers JSON, names each dependency with "ok" or "error" and nothing more: no
versions, hosts or exception texts that would help an attacker.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from retex.cache_backend import ResilientRedisCache

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return False


def check_cache() -> bool:
    """Every configured cache answers. A Redis alias is asked directly, with its
    short timeouts, even while its circuit breaker leaves Redis alone
    (`ResilientRedisCache.probe`): the answer is quick and current, and an
    answer closes the breaker."""
    healthy = True
    for alias in settings.CACHES:
        backend = caches[alias]
        try:
            if isinstance(backend, ResilientRedisCache):
                ok = backend.probe()
            else:
                backend.set("healthz", "ok", timeout=10)
                ok = backend.get("healthz") == "ok"
        except Exception:
            logger.exception("Health check: the cache %r failed", alias)
            ok = False
        if not ok:
            logger.error("Health check: the cache %r is unreachable", alias)
        healthy = healthy and ok
    return healthy


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "cache": check_cache()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checks": {name: "ok" if ok else "error" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )
