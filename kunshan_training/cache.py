"""A Redis cache that degrades: while Redis is down every read is a miss and every write is dropped, never a 500.

The portal only caches what it can rebuild (the city-wide ranked count, the ranking debounce), so an outage costs
time, not correctness. A down cache behaves like Django's ``DummyCache``: ``get`` returns the default, ``add``
returns True (the caller goes ahead: the ranking debounce still ranks), ``set``/``delete`` do nothing,
``incr``/``decr`` raise ``ValueError`` as for a missing key.

Connections fail fast (``SOCKET_SECONDS``, no retries), and after a failure no thread of this process tries Redis
again for ``RETRY_AFTER_SECONDS``, so a Redis host that stopped answering costs one timeout per few seconds, not one
per cache call. Failures are logged at most once per ``LOG_EVERY_SECONDS`` per process, with a count.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

log = logging.getLogger(__name__)

SOCKET_SECONDS = 0.5  # connect and read timeout of one cache call
RETRY_AFTER_SECONDS = 5.0  # after a failure, calls in this process are misses without trying Redis for this long
LOG_EVERY_SECONDS = 60.0  # one warning per minute per process while Redis stays down

DOWN_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

_MISSING = object()


class _Outage:
    """What this process knows of one Redis server being down; shared by the cache objects of every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # time.monotonic() before which Redis is not tried
        self.logged_at = float("-inf")
        self.misses_since_log = 0


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage_for(server) -> _Outage:
    with _OUTAGES_LOCK:
        return _OUTAGES.setdefault(str(server), _Outage())


def _degrades(result):
    """Wrap a cache method: while Redis is down, return ``result(args, kwargs)`` instead of raising."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._outage.down_until > time.monotonic():
                self._note_miss(method.__name__, None)
                return result(args, kwargs)
            try:
                return method(self, *args, **kwargs)
            except DOWN_ERRORS as error:
                self._outage.down_until = time.monotonic() + self.retry_after
                self._note_miss(method.__name__, error)
                return result(args, kwargs)

        return wrapper

    return decorate


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _missing_key(args, kwargs):
    raise ValueError(f"Key {args[0] if args else kwargs.get('key')!r} not found (the cache is unavailable).")


class DegradingRedisCache(RedisCache):
    """Django's ``RedisCache`` that turns Redis connection and timeout errors into misses (see the module)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        options = params["OPTIONS"]
        self.retry_after = float(options.pop("RETRY_AFTER_SECONDS", RETRY_AFTER_SECONDS))
        self.log_every = float(options.pop("LOG_EVERY_SECONDS", LOG_EVERY_SECONDS))
        options.setdefault("socket_connect_timeout", SOCKET_SECONDS)
        options.setdefault("socket_timeout", SOCKET_SECONDS)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, params)
        self._outage = _outage_for(server)

    def _note_miss(self, operation: str, error: Exception | None) -> None:
        """Log the outage, rate-limited: the first miss, then one line per ``log_every`` seconds with a count."""
        now, outage = time.monotonic(), self._outage
        with outage.lock:
            outage.misses_since_log += 1
            if now - outage.logged_at < self.log_every:
                return
            misses, outage.misses_since_log, outage.logged_at = outage.misses_since_log, 0, now
        log.warning(
            "Cache unavailable (%s: %s): served as a miss; %d cache call(s) missed since the last report",
            operation,
            error or "Redis failed a moment ago, not retried yet",
            misses,
        )

    @_degrades(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrades(lambda args, kwargs: True)
    def add(self, key, value, timeout=_MISSING, version=None):
        return super().add(key, value, *self._timeout(timeout), version=version)

    @_degrades(lambda args, kwargs: None)
    def set(self, key, value, timeout=_MISSING, version=None):
        return super().set(key, value, *self._timeout(timeout), version=version)

    @_degrades(lambda args, kwargs: False)
    def touch(self, key, timeout=_MISSING, version=None):
        return super().touch(key, *self._timeout(timeout), version=version)

    @_degrades(lambda args, kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrades(lambda args, kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrades(lambda args, kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrades(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrades(lambda args, kwargs: list(args[0] if args else kwargs.get("data", ())))
    def set_many(self, data, timeout=_MISSING, version=None):
        return super().set_many(data, *self._timeout(timeout), version=version)

    @_degrades(lambda args, kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrades(lambda args, kwargs: False)
    def clear(self):
        return super().clear()

    @staticmethod
    def _timeout(timeout) -> tuple:
        """Pass the timeout on only when given, so the backend's own default applies otherwise."""
        return () if timeout is _MISSING else (timeout,)
