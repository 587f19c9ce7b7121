"""Rate limits per client address and per session, with the `limits` package.

Fixed one-minute windows. The counters live where HARBOUR_RATE_STORAGE says: `memory://`
(this process, bot/web/rate_memory.py: bounded memory, constant cost per call) or
`redis://host:port` (shared, so several web apps behind one load balancer count
together). If the shared store can't be reached, the web app keeps answering: it logs a
warning naming the store's host and port (never a password) and counts in its own memory
until the store is back (it tries again after RETRY_SHARED_AFTER seconds).

The web app asks the address first and the session only for a request it would
otherwise accept, so refused requests never use up a session's allowance.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, Optional
from urllib.parse import urlsplit

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from bot.web.rate_memory import BoundedMemoryStorage

logger = logging.getLogger(__name__)
RETRY_SHARED_AFTER = 30.0
# A shared store on the deployment's own network answers in about a millisecond; waiting
# longer would hold up every parent's message while it is down.
STORE_TIMEOUT_SECONDS = 0.25


def store_name(uri: str) -> str:
    """'redis://:secret@cache:6379/0' -> 'redis at cache:6379' (no password, no path)."""
    parts = urlsplit(uri)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme} at {host}{port}"


class RateLimits:
    def __init__(
        self,
        per_session: int,
        per_address: int,
        storage_uri: str = "memory://",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session_item = RateLimitItemPerMinute(per_session, namespace="harbour-session")
        self.address_item = RateLimitItemPerMinute(per_address, namespace="harbour-address")
        self.clock = clock
        self.memory = BoundedMemoryStorage(clock=clock)
        self._local = FixedWindowRateLimiter(self.memory)
        self._shared: Optional[FixedWindowRateLimiter] = None
        self.storage_uri = storage_uri
        if not storage_uri.startswith("memory://"):
            options = {"wrap_exceptions": True}
            if storage_uri.startswith(("redis://", "rediss://")):
                options.update(socket_timeout=STORE_TIMEOUT_SECONDS, socket_connect_timeout=STORE_TIMEOUT_SECONDS)
            self._shared = FixedWindowRateLimiter(storage_from_string(storage_uri, **options))
        self._shared_down_until = 0.0

    def _wait(self, limiter: FixedWindowRateLimiter, item, key: str) -> Optional[float]:
        if limiter.hit(item, key):
            return None
        reset, _ = limiter.get_window_stats(item, key)
        return max(1.0, reset - self.clock())

    def retry_after(self, kind: str, key: str) -> Optional[float]:
        """None when allowed (and counted); else seconds until the window resets."""
        item = self.session_item if kind == "session" else self.address_item
        if self._shared is not None and self.clock() >= self._shared_down_until:
            try:
                return self._wait(self._shared, item, key)
            except Exception as problem:  # any failure of the store: keep answering parents
                self._shared_down_until = self.clock() + RETRY_SHARED_AFTER
                logger.warning(
                    "Rate limits: can't reach the shared store (%s, %s); counting in this web app's "
                    "memory and trying again in %.0f s.",
                    store_name(self.storage_uri),
                    type(problem).__name__,
                    RETRY_SHARED_AFTER,
                )
        return self._wait(self._local, item, key)
