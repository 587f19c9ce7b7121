"""Rate-limit counters in this process's memory, with bounded memory and constant cost per call.

A `limits` storage for the fixed-window strategy (bot/web/limits.py). The package's own
MemoryStorage keeps every key it has seen and re-scans all of them from a timer thread,
so with 100,000 keys each call slows down (issue 18, L4). Here the counters sit in an
OrderedDict in order of expiry (every window in one limiter has the same length, so a
new counter always expires last): each call first drops the expired counters at the
front, which stops at the first live one, and at most `max_keys` counters are ever kept
(the oldest go first).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Optional, Tuple

from limits.storage import Storage


class BoundedMemoryStorage(Storage):
    STORAGE_SCHEME = ["harbour-memory"]

    def __init__(
        self,
        uri: Optional[str] = None,
        max_keys: int = 200_000,
        clock: Callable[[], float] = time.time,
        **options,
    ) -> None:
        self.max_keys, self.clock = max_keys, clock
        # key -> [count, expires at]
        self._counters: "OrderedDict[str, list]" = OrderedDict()
        super().__init__(uri, **options)

    @property
    def base_exceptions(self) -> Tuple[type, ...]:
        return (ValueError,)

    def _expire(self, now: float) -> None:
        counters = self._counters
        while counters:
            key, (_, expires) = next(iter(counters.items()))
            if expires > now:
                break
            del counters[key]

    def incr(self, key: str, expiry: int, elastic_expiry: bool = False, amount: int = 1) -> int:
        now = self.clock()
        self._expire(now)
        counter = self._counters.get(key)
        if counter is None:
            while len(self._counters) >= self.max_keys:
                self._counters.popitem(last=False)
            counter = self._counters[key] = [0, now + expiry]
        elif elastic_expiry:
            counter[1] = now + expiry
            self._counters.move_to_end(key)
        counter[0] += amount
        return counter[0]

    def get(self, key: str) -> int:
        counter = self._counters.get(key)
        return counter[0] if counter and counter[1] > self.clock() else 0

    def get_expiry(self, key: str) -> int:
        counter = self._counters.get(key)
        return int(counter[1]) if counter else int(self.clock())

    def check(self) -> bool:
        return True

    def reset(self) -> Optional[int]:
        count = len(self._counters)
        self._counters.clear()
        return count

    def clear(self, key: str) -> None:
        self._counters.pop(key, None)

    def __len__(self) -> int:
        return len(self._counters)
