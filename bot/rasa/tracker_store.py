"""Rasa's SQL tracker store, set up for a chat: SQLite tuned, recent conversations kept
in memory.

- SQLite (the embedded default): write-ahead log with `synchronous=NORMAL`, so a commit
  is an append rather than two waits for the disk (the database stays consistent after a
  crash; at worst the last moments of a conversation are lost), and one connection
  reused instead of a new one per query.
- Every database: a conversation saved in the last `HARBOUR_TRACKER_CACHE_SECONDS`
  (bot/settings.py, default 600) is served from memory on its next message instead of being read and
  replayed from the database. It is only served if nothing changed it since it was
  saved, and it is never kept longer than that, so purged conversations don't linger.
  Only for SQLite: on a database server (PostgreSQL, HARBOUR_DB_URL) several Rasa servers
  may answer one conversation in turn (`make cluster` moves a conversation when its server
  is down), so every message is read from the database there.
- `db_url: ${HARBOUR_DB_URL}` (deploy/endpoints.yml) instead of dialect/host/db/...: the
  store connects to that PostgreSQL URL.

Used from endpoints.yml as `type: bot.rasa.tracker_store.HarbourSQLTrackerStore`. It
replaces private parts of Rasa's store (bot/rasa/speedups/ PATCHED), so on another Rasa
version it behaves exactly as Rasa's own SQL tracker store.
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from typing import Any, Iterator, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.insight.hook import InsightRecorder
from bot.privacy.database import tracker_store_arguments
from bot.rasa.speedups import supported

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")
CACHE_SIZE = 5000


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class HarbourSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        db_url = kwargs.pop("db_url", None)
        if db_url:
            kwargs.update(tracker_store_arguments(db_url))
        super().__init__(*args, **kwargs)
        self.tuned = supported()
        if self.tuned and self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            # Rasa touches the database from its event loop's thread only.
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        elif self.engine.dialect.name != "sqlite":
            # A database server can restart: test a pooled connection before using it, so the
            # first message after a restart is stored instead of failing on a dead connection.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # Served from memory only when one process owns the database (SQLite).
        single_process = self.engine.dialect.name == "sqlite"
        self.cache_seconds = settings.load().tracker_cache_seconds if self.tuned and single_process else 0.0
        # sender id -> (saved at, number of events saved, tracker)
        self._recent: "OrderedDict[Text, Tuple[float, int, DialogueStateTracker]]" = OrderedDict()
        self.insight = InsightRecorder(self.engine)  # daily counts, never content (bot/insight/)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        entry = self._recent.pop(sender_id, None)
        if entry is not None:
            saved_at, saved_events, tracker = entry
            if time.monotonic() - saved_at < self.cache_seconds and len(tracker.events) == saved_events:
                self._recent[sender_id] = entry
                return tracker
        return await super().retrieve(sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """Events not stored yet. For a tracker served from memory Harbour knows how many
        were stored, so it skips the counting query Rasa runs on every save."""
        entry = self._recent.get(tracker.sender_id)
        if entry is not None and entry[2] is tracker:
            new = itertools.islice(tracker.events, entry[1], len(tracker.events))
        else:
            new = super()._additional_events(session, tracker)
        return self.insight.seen(tracker, new)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self.insight.record(tracker)
        if self.cache_seconds > 0:
            self._recent.pop(tracker.sender_id, None)
            self._recent[tracker.sender_id] = (time.monotonic(), len(tracker.events), tracker)
            while len(self._recent) > CACHE_SIZE:
                self._recent.popitem(last=False)
            self._forget_idle()

    def _forget_idle(self) -> None:
        now = time.monotonic()
        while self._recent:
            sender, (saved_at, _, _) = next(iter(self._recent.items()))
            if now - saved_at < self.cache_seconds:
                break
            del self._recent[sender]
