"""A Redis cache that may fail without taking the site with it.

Django's `RedisCache` raises on every call while Redis is down, and waits as long
as the operating system lets it while Redis hangs: every page, the login and the
registration then answer 500 or nothing (Wagtail's site lookup, `cached_db`
sessions, allauth's rate-limit lock and the page cache all go through the
cache). `ResilientRedisCache` is used for every alias configured from
`REDIS_URL` (`retex/settings.py`):

- **Short timeouts, no retries.** Connecting and reading give up after
  `REDIS_TIMEOUT_MS` (300 ms by default); redis-py never retries.
- **A circuit breaker per process and server.** After a connection error or a
  timeout Redis is left alone for `RETRY_AFTER` seconds: every call then behaves
  as a miss (`get` returns the default, `get_many` nothing, `set` and `delete`
  do nothing) and fails open where a refusal would lock people out: `add`
  answers True (allauth's rate-limit lock is taken, a TOTP code counts as
  unused, our rate-limit counters start afresh) and `incr` answers `delta`.
  Rate limits are therefore not enforced while Redis is away. Then one call
  probes Redis again. One WARNING is logged when an outage starts, one INFO
  when Redis answers again; nothing per call.
- **No stale entry after an outage: epochs.** Every key holds the current
  "epoch" of its alias (a random token stored in Redis under
  `<KEY_PREFIX>:cache-epoch`, read again by each process every
  `EPOCH_SECONDS`). Writes made while Redis was unreachable were lost: an
  invalidation of the page cache, the deletion of a session at logout
  (`cached_db`)... So when Redis answers again, a process that had a call to
  an alias fail or skipped since Redis last answered first gives that alias a
  new epoch, before anything else: every entry stored earlier, by any process,
  is never read again (the other processes see the new epoch within
  `EPOCH_SECONDS`), and expires on its own. Any process that saw the outage
  does so, not only those that lost a write: a process that lost one and was
  killed before Redis came back is covered by every process that touched the
  cache meanwhile, `/healthz` included (load balancers poll it). `clear()`
  starts a new epoch too rather than emptying the whole Redis database.

`probe()` asks Redis directly, breaker or not, with the same short timeouts:
`/healthz` uses it (`retex/health.py`).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Socket connect and read timeouts, in seconds, unless OPTIONS say otherwise.
DEFAULT_SOCKET_TIMEOUT = 0.3
# After a failure, how long Redis is left alone (seconds).
DEFAULT_RETRY_AFTER = 5.0
# How long a process trusts the epoch it read (seconds).
DEFAULT_EPOCH_SECONDS = 2.0
EPOCH_SUFFIX = "cache-epoch"

# What an unreachable or hung Redis raises (OSError: socket errors redis-py
# would not have wrapped).
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


def _now() -> float:
    """The breaker's clock (the tests move it forward)."""
    return time.monotonic()


@dataclass
class ServerState:
    """What this process knows of one Redis server, shared by its threads and
    by every alias pointing at it."""

    location: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Until when (breaker's clock) Redis is left alone; None when it is not.
    open_until: float | None = None
    # Whether Redis failed since it last answered (for the log lines).
    down: bool = False
    # Key prefixes whose epoch must change before they are used again.
    pending: set = field(default_factory=set)
    # Key prefix -> (epoch, when it was read).
    epochs: dict = field(default_factory=dict)
    # Calls sent to Redis, and calls answered without it (for the tests).
    attempts: int = 0
    skipped: int = 0
    outages: int = 0


_states: dict[str, ServerState] = {}
_states_lock = threading.Lock()


def server_state(location: str) -> ServerState:
    with _states_lock:
        state = _states.get(location)
        if state is None:
            state = _states[location] = ServerState(location)
        return state


def _safe_location(location: str) -> str:
    """The server's address without any password, for the log."""
    scheme, _sep, rest = location.rpartition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}" if scheme else rest


class ResilientRedisCache(RedisCache):
    """Django's Redis cache with short timeouts, a circuit breaker and epochs
    (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(self._options)
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        self.epoch_seconds = float(options.pop("EPOCH_SECONDS", DEFAULT_EPOCH_SECONDS))
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        self._options = options
        self._location = ",".join(self._servers)
        self._state = server_state(self._location)
        self._epoch_key = f"{self.key_prefix}:{EPOCH_SUFFIX}"

    # --- Keys -------------------------------------------------------------------

    def make_key(self, key, version=None):
        if version is None:
            version = self.version
        epoch = self._state.epochs.get(self.key_prefix, ("-", 0))[0]
        return self.key_func(key, f"{self.key_prefix}:{epoch}", version)

    # --- The breaker ------------------------------------------------------------

    def _skip(self) -> bool:
        """Whether Redis is to be left alone now (the call is then lost)."""
        state = self._state
        with state.lock:
            if state.open_until is not None and _now() < state.open_until:
                state.skipped += 1
                state.pending.add(self.key_prefix)
                return True
        return False

    def _failed(self, error: Exception) -> None:
        state = self._state
        with state.lock:
            state.open_until = _now() + self.retry_after
            state.pending.add(self.key_prefix)
            starts = not state.down
            state.down = True
            if starts:
                state.outages += 1
        if starts:
            logger.warning(
                "Cache unavailable (%s: %r), serving uncached for now; rate "
                "limits not enforced. Next attempt in %s s.",
                _safe_location(self._location),
                error,
                self.retry_after,
            )

    def _answered(self) -> None:
        state = self._state
        with state.lock:
            state.open_until = None
            recovered = state.down
            state.down = False
        if recovered:
            logger.info(
                "Cache available again (%s); entries stored before the outage "
                "are discarded.",
                _safe_location(self._location),
            )

    def _ready(self) -> bool:
        """Whether Redis may be used now, with a current epoch for this alias
        (read or started here, which may cost a round trip)."""
        if self._skip():
            return False
        state = self._state
        prefix = self.key_prefix
        with state.lock:
            bump = prefix in state.pending
            known = state.epochs.get(prefix)
        if not bump and known is not None and _now() - known[1] < self.epoch_seconds:
            return True
        try:
            client = self._cache.get_client(None, write=True)
            state.attempts += 1
            if bump:
                # Calls were lost: whatever was stored before may be stale.
                epoch = uuid.uuid4().hex[:16]
                client.set(self._epoch_key, epoch)
            else:
                epoch = client.get(self._epoch_key)
                if epoch is None:
                    client.set(self._epoch_key, uuid.uuid4().hex[:16], nx=True)
                    epoch = client.get(self._epoch_key)
                epoch = epoch.decode() if isinstance(epoch, bytes) else str(epoch)
        except OUTAGE_ERRORS as error:
            self._failed(error)
            return False
        with state.lock:
            if bump:
                state.pending.discard(prefix)
            state.epochs[prefix] = (epoch, _now())
        self._answered()
        return True

    def _call(self, fallback, operation):
        """`operation()` against Redis, or `fallback` when it cannot answer."""
        if not self._ready():
            return fallback
        self._state.attempts += 1
        try:
            result = operation()
        except OUTAGE_ERRORS as error:
            self._failed(error)
            return fallback
        self._answered()
        return result

    def probe(self) -> bool:
        """Whether Redis answers now, asked directly (breaker or not) with the
        short timeouts. A failure opens the breaker, an answer closes it."""
        try:
            self._state.attempts += 1
            answered = bool(self._cache.get_client(None, write=True).ping())
        except OUTAGE_ERRORS as error:
            self._failed(error)
            return False
        if answered:
            self._answered()
        return answered

    # --- Django's cache API -----------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Fails open: a lock is taken, a counter or a marker is new.
        return self._call(
            True, functools.partial(super().add, key, value, timeout, version)
        )

    def get(self, key, default=None, version=None):
        return self._call(
            default, functools.partial(super().get, key, default, version)
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(None, functools.partial(super().set, key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            False, functools.partial(super().touch, key, timeout, version)
        )

    def delete(self, key, version=None):
        return self._call(False, functools.partial(super().delete, key, version))

    def get_many(self, keys, version=None):
        return self._call({}, functools.partial(super().get_many, keys, version))

    def has_key(self, key, version=None):
        return self._call(False, functools.partial(super().has_key, key, version))

    def incr(self, key, delta=1, version=None):
        # Fails open: a counter that cannot be read starts afresh.
        return self._call(delta, functools.partial(super().incr, key, delta, version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._call(
            failed, functools.partial(super().set_many, data, timeout, version)
        )

    def delete_many(self, keys, version=None):
        self._call(None, functools.partial(super().delete_many, keys, version))

    def clear(self):
        """Forget every entry of this alias: a new epoch (never FLUSHDB, which
        would empty the whole Redis database, other aliases and sites too)."""
        state = self._state
        with state.lock:
            state.pending.add(self.key_prefix)
        return self._ready()
