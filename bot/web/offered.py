"""The button payloads Harbour offered in its last reply to each session (issue 18, M1).

Rasa reads any message that starts with `/` as an intent, with `{...}` setting slots, so
whoever could send one could steer a conversation (for example, set the region to the US
so a parent in Scotland is told to call 911). The web app therefore sends typed text to
Rasa as text, and accepts a button payload (`{"payload": ...}`) only if it is exactly one
that Harbour offered in its last reply to that session.

Memory is bounded: at most `max_sessions` sessions are remembered, for `ttl` seconds
each, the least recently answered forgotten first. Each web app remembers what it
offered itself, so several web apps behind one load balancer need sticky sessions.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, FrozenSet, Iterable, Tuple

MAX_PAYLOAD_CHARS = 300
MAX_BUTTONS = 12


class OfferedButtons:
    def __init__(self, max_sessions: int = 50_000, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic):
        self.max_sessions, self.ttl, self.clock = max_sessions, ttl, clock
        self._offered: "OrderedDict[str, Tuple[float, FrozenSet[str]]]" = OrderedDict()

    def remember(self, session: str, messages: Iterable[dict]) -> None:
        """What this reply offers replaces what the last one offered."""
        payloads = frozenset(
            b["payload"]
            for m in messages
            for b in (m.get("buttons") or [])[:MAX_BUTTONS]
            if len(b["payload"]) <= MAX_PAYLOAD_CHARS
        )
        self._offered.pop(session, None)
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
        expires, payloads = self._offered.get(session, (0.0, frozenset()))
        return expires > self.clock() and payload in payloads

    def __len__(self) -> int:
        return len(self._offered)
