"""The only code that reads or deletes Rasa's stored conversations (the `events` table of
the SQLite tracker store, HARBOUR_DB, or of PostgreSQL, HARBOUR_DB_URL: a `db` given as a
URL string is read through SQLAlchemy, with the same queries).

`make purge` (bot/privacy/retention.py), `make review`, `make feedback` (bot/tools/) and the
web app's Clear chat and Quick exit (bot/web/session.py) all go through here, so "the last
N days" means the same everywhere and a missing database or an empty one is never an error.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple, Union

import sqlalchemy as sa

from bot.privacy.database import is_url, parse

SECONDS_PER_DAY = 86400
ORDERS = {"time": "timestamp", "conversation": "sender_id, id"}
COLUMNS = ("sender_id", "type_name", "intent_name", "data")  # data: the event as JSON


def since(days: float, now: Optional[float] = None) -> float:
    """The Unix time `days` before `now` (default: now)."""
    return (now if now is not None else time.time()) - days * SECONDS_PER_DAY


def _has_events(connection: sqlite3.Connection) -> bool:
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'").fetchone()
    return bool(found)


def _engine(url: str) -> sa.engine.Engine:
    return sa.create_engine(parse(url), poolclass=sa.pool.NullPool)


def _url_events(url: str, kinds: List[str], after: float, order: str, columns: Sequence[str]) -> List[Tuple]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            query = sa.text(
                f"SELECT {', '.join(columns)} FROM events "
                f"WHERE type_name IN :kinds AND timestamp >= :after ORDER BY {ORDERS[order]}"
            ).bindparams(sa.bindparam("kinds", expanding=True))
            return [tuple(row) for row in connection.execute(query, {"kinds": kinds, "after": after})]
    finally:
        engine.dispose()


def _url_delete_idle(url: str, before: float) -> int:
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0
            stale = [
                row[0]
                for row in connection.execute(
                    sa.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :before"),
                    {"before": before},
                )
            ]
            for sender in stale:
                connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
        return len(stale)
    finally:
        engine.dispose()


def events(
    db: Union[Path, str], kinds: Iterable[str], after: float, order: str = "time", columns: Sequence[str] = COLUMNS
) -> List[Tuple]:
    """Rows of `columns` for stored events of these types (Rasa's type_name: 'user',
    'slot', ...) since `after`, by time or grouped by conversation; [] when there is no
    database yet."""
    kinds = list(kinds)
    unknown = set(columns) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown events columns {sorted(unknown)}")
    if is_url(db):
        return _url_events(db, kinds, after, order, columns)
    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        if not _has_events(connection):
            return []
        marks = ", ".join("?" for _ in kinds)
        return connection.execute(
            f"SELECT {', '.join(columns)} FROM events "
            f"WHERE type_name IN ({marks}) AND timestamp >= ? ORDER BY {ORDERS[order]}",
            (*kinds, after),
        ).fetchall()


def delete_idle(db: Union[Path, str], before: float) -> int:
    """Deletes every conversation whose last event is older than `before`, whole (in one
    transaction); returns how many."""
    if is_url(db):
        return _url_delete_idle(db, before)
    if not db.exists():
        return 0
    with sqlite3.connect(db) as connection:
        if not _has_events(connection):
            return 0
        stale = [
            row[0]
            for row in connection.execute(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?",
                (before,),
            )
        ]
        connection.executemany("DELETE FROM events WHERE sender_id = ?", [(s,) for s in stale])
    return len(stale)


def delete_conversation(db: Union[Path, str], sender_id: str) -> int:
    """Deletes one conversation whole (Clear chat and Quick exit in the widget); returns how
    many events went. A missing database or conversation deletes nothing and is no error."""
    if is_url(db):
        engine = _engine(db)
        try:
            with engine.begin() as connection:
                table = sa.Table("events", sa.MetaData(), autoload_with=connection)
                return connection.execute(table.delete().where(table.c.sender_id == sender_id)).rowcount
        except sa.exc.NoSuchTableError:
            return 0
        finally:
            engine.dispose()
    db = Path(db)
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=5) as connection:
        if not _has_events(connection):
            return 0
        return connection.execute("DELETE FROM events WHERE sender_id = ?", (sender_id,)).rowcount
