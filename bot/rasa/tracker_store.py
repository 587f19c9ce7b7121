"""Rasa's SQL tracker store, set up for a chat: SQLite tuned, recent conversations kept
in memory, a tracker's new events appended exactly once.

- SQLite (the embedded default): write-ahead log with `synchronous=NORMAL`, so a commit
  is an append rather than two waits for the disk (the database stays consistent after a
  crash; at worst the last moments of a conversation are lost), and one connection
  reused instead of a new one per query.
- Every database: a conversation saved in the last `HARBOUR_TRACKER_CACHE_SECONDS`
  (bot/settings.py, default 600) is served from memory on its next message instead of being read and
  replayed from the database. It is only served if nothing changed it since it was
  saved, and it is never kept longer than that, so purged conversations don't linger.
  On a database server (PostgreSQL, HARBOUR_DB_URL) several Rasa servers may answer one
  conversation in turn (`make cluster` moves a conversation when its server is down), so
  there the copy in memory is served only after one indexed query shows that the newest
  stored event of the conversation is still the one this server saved last
  (`SELECT max(id) ... WHERE sender_id = ...`); otherwise the conversation is read again.
- Saving appends the events the tracker gained since it was read or last saved. Rasa's
  own store counts the stored rows and appends the tracker's events after that count,
  which drops or garbles a message's events when another server saved the conversation
  in between; Harbour remembers how many of the tracker's events are stored instead (and
  then does not keep that tracker in memory, so the next message reads both).
- `db_url: ${HARBOUR_DB_URL}` (deploy/endpoints.yml) instead of dialect/host/db/...: the
  store connects to that PostgreSQL URL.

Used from endpoints.yml as `type: bot.rasa.tracker_store.HarbourSQLTrackerStore`. It
replaces private parts of Rasa's store (bot/rasa/speedups/ PATCHED), so on another Rasa
version it behaves exactly as Rasa's own SQL tracker store.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterator, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import settings
from bot.insight.hook import InsightRecorder
from bot.privacy.database import tracker_store_arguments
from bot.rasa import safety_net
from bot.rasa.speedups import supported

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")
CACHE_SIZE = 5000
# On a tracker this store read or saved: how many of its events are stored, and the id of
# the conversation's newest stored event then.
STORED, NEWEST = "_harbour_stored", "_harbour_newest"


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


@dataclass
class Recent:
    saved_at: float  # time.monotonic()
    events: int  # len(tracker.events) when it was saved
    newest: Optional[int]  # the id of the conversation's newest stored event, as this server left it
    tracker: DialogueStateTracker


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
        # Only one process writes an embedded SQLite file; a database server is shared, so
        # a conversation in memory is checked against it before it is served.
        self.shared = self.engine.dialect.name != "sqlite"
        self.cache_seconds = settings.load().tracker_cache_seconds if self.tuned else 0.0
        self._recent: "OrderedDict[Text, Recent]" = OrderedDict()
        self.insight = InsightRecorder(self.engine)  # daily counts, never content (bot/insight/)

    # --- reading --------------------------------------------------------------------------

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        entry = self._recent.pop(sender_id, None)
        if (
            entry is not None
            and time.monotonic() - entry.saved_at < self.cache_seconds
            and len(entry.tracker.events) == entry.events  # nothing changed it since it was saved
            and (not self.shared or self._newest(sender_id) == entry.newest)  # nor anyone else
        ):
            self._recent[sender_id] = entry
            return entry.tracker
        return await super().retrieve(sender_id)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's SQLTrackerStore._retrieve, noting on the tracker how many of its events
        are stored and the id of the newest."""
        if not self.tuned:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            if not (self.domain and rows):
                return None
            tracker = DialogueStateTracker.from_dict(
                sender_id, [json.loads(row.data) for row in rows], self.domain.slots
            )
            newest = max(row.id for row in rows)
        setattr(tracker, STORED, len(tracker.events))
        setattr(tracker, NEWEST, newest)
        return tracker

    def _newest(self, sender_id: Text, session: Any = None) -> Optional[int]:
        query = sa.select(sa.func.max(self.SQLEvent.id)).where(self.SQLEvent.sender_id == sender_id)
        if session is not None:
            return session.execute(query).scalar()
        with self.engine.connect() as connection:
            return connection.execute(query).scalar()

    # --- saving ---------------------------------------------------------------------------

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """Events not stored yet: those after the ones this store read or saved. A tracker
        it has not seen (a new conversation) falls back to Rasa's count of stored rows."""
        stored = getattr(tracker, STORED, None)
        if stored is not None and tracker.events.maxlen is None and stored <= len(tracker.events):
            new = itertools.islice(tracker.events, stored, len(tracker.events))
        else:
            new = super()._additional_events(session, tracker)
        return self.insight.seen(tracker, new)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not self.tuned:
            await super().save(tracker)
            self.insight.record(tracker)
            return
        await self.stream_events(tracker)
        checked = self.shared and self.cache_seconds > 0
        with self.session_scope() as session:
            # Whether this tracker holds every stored event: if another server saved the
            # conversation since it was read, it is not kept in memory (the next message
            # reads the database again).
            before = self._newest(tracker.sender_id, session) if checked else None
            rows = [self._row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            session.add_all(rows)
            session.flush()
            newest = max((row.id for row in rows), default=before)
            session.commit()
        complete = not checked or getattr(tracker, NEWEST, None) == before
        setattr(tracker, STORED, len(tracker.events))
        setattr(tracker, NEWEST, newest)
        self.insight.record(tracker)
        safety_net.saved(tracker)
        self._recent.pop(tracker.sender_id, None)
        if self.cache_seconds > 0:
            if complete:
                self._recent[tracker.sender_id] = Recent(time.monotonic(), len(tracker.events), newest, tracker)
            while len(self._recent) > CACHE_SIZE:
                self._recent.popitem(last=False)
            self._forget_idle()

    def _row(self, sender_id: Text, event: Any) -> Any:
        """The row Rasa's SQLTrackerStore.save writes for an event."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    def _forget_idle(self) -> None:
        now = time.monotonic()
        while self._recent:
            sender, entry = next(iter(self._recent.items()))
            if now - entry.saved_at < self.cache_seconds:
                break
            del self._recent[sender]


__all__: List[str] = ["HarbourSQLTrackerStore"]
