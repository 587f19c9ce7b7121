"""The button payloads Harbour offered in its last reply to each session (issue 18, M1).

Rasa reads any message that starts with `/` as an intent, with `{...}` setting slots, so
whoever could send one could steer a conversation (for example, set the region to the US
so a parent in Scotland is told to call 911). The web app therefore sends typed text to
Rasa as text, and accepts a button payload (`{"payload": ...}`) only if it is exactly one
that Harbour offered in its last reply to that session.

Memory is bounded: at most `max_sessions` sessions are remembered, for `ttl` seconds
each, the least recently answered forgotten first. With a Redis store
(HARBOUR_RATE_STORAGE=redis://..., as in a cluster) what was offered is kept there too, so
a button tapped on one web app is accepted by another; if Redis is unreachable, each web
app falls back to what it offered itself.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Callable, FrozenSet, Iterable, Optional, Tuple

logger = logging.getLogger(__name__)
MAX_PAYLOAD_CHARS = 300
MAX_BUTTONS = 12


class OfferedButtons:
    def __init__(
        self,
        max_sessions: int = 50_000,
        ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        storage_uri: str = "memory://",
    ) -> None:
        self.max_sessions, self.ttl, self.clock = max_sessions, ttl, clock
        self._offered: "OrderedDict[str, Tuple[float, FrozenSet[str]]]" = OrderedDict()
        self._shared = None
        if storage_uri.startswith(("redis://", "rediss://")):
            import redis

            self._shared = redis.Redis.from_url(storage_uri, socket_timeout=0.25, socket_connect_timeout=0.25)

    def _share(self, session: str, payloads: FrozenSet[str]) -> None:
        try:
            if payloads:
                self._shared.set(f"harbour-offered:{session}", json.dumps(sorted(payloads)), ex=int(self.ttl))
            else:
                self._shared.delete(f"harbour-offered:{session}")
        except Exception as problem:  # noqa: BLE001 - each web app still knows what it offered
            logger.warning("Offered buttons: can't reach the shared store (%s)", type(problem).__name__)

    def _shared_accepts(self, session: str, payload: str) -> Optional[bool]:
        """What the shared store says (it knows the latest reply from any web app), or None."""
        try:
            stored = self._shared.get(f"harbour-offered:{session}")
        except Exception as problem:  # noqa: BLE001
            logger.warning("Offered buttons: can't reach the shared store (%s)", type(problem).__name__)
            return None
        return bool(stored) and payload in json.loads(stored)

    def remember(self, session: str, messages: Iterable[dict]) -> None:
        """What this reply offers replaces what the last one offered."""
        payloads = frozenset(
            b["payload"]
            for m in messages
            for b in (m.get("buttons") or [])[:MAX_BUTTONS]
            if len(b["payload"]) <= MAX_PAYLOAD_CHARS
        )
        self._offered.pop(session, None)
        if self._shared is not None:
            self._share(session, payloads)
        if payloads:
            self._offered[session] = (self.clock() + self.ttl, payloads)
            while len(self._offered) > self.max_sessions:
                self._offered.popitem(last=False)
        now = self.clock()
        while self._offered:
            _, (expires, _) = next(iter(self._offered.items()))
            if expires > now:
                break
            self._offered.popitem(last=False)

    def accepts(self, session: str, payload: str) -> bool:
        if self._shared is not None:
            shared = self._shared_accepts(session, payload)
            if shared is not None:
                return shared
        expires, payloads = self._offered.get(session, (0.0, frozenset()))
        return expires > self.clock() and payload in payloads

    def __len__(self) -> int:
        return len(self._offered)
