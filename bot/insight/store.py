"""The insight table: daily counts only, in the same database as the tracker store.

One row per (day, school, region, age band, channel, topic, metric, detail) with a count.
No message text, session id, address or time finer than a day has a column here. The
retention purge (bot/privacy/) deletes conversations from Rasa's `events` table only, so
these counts outlive them. The SQL is portable: SQLite (3.24 or later) and PostgreSQL
both read `INSERT ... ON CONFLICT ... DO UPDATE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa

TABLE = "insight_daily"
DIMENSIONS = ("day", "school", "region", "age_band", "channel", "topic", "metric", "detail")
# The key, in the order the page reads it: one measure over a range of days is one stretch
# of the table (SQLite keeps it clustered: WITHOUT ROWID).
KEY = ("metric", "day", "topic", "school", "region", "age_band", "channel", "detail")
COLUMNS = (*DIMENSIONS, "count")
# What can be counted; `detail` is empty except for card clicks (the service id).
METRICS = (
    "conversation",
    "answer",
    "clarify",
    "fallback",
    "crisis_danger",
    "crisis_possible",
    "helpful_yes",
    "helpful_no",
    "click_call",
    "click_text",
    "click_website",
    "quick_exit",
    "clear_chat",
)
CLICKS = ("click_call", "click_text", "click_website")

metadata = sa.MetaData()
insight_daily = sa.Table(
    TABLE,
    metadata,
    sa.Column("day", sa.String(10), nullable=False),  # YYYY-MM-DD, in UTC
    sa.Column("school", sa.String(64), nullable=False, server_default=""),
    sa.Column("region", sa.String(16), nullable=False, server_default=""),
    sa.Column("age_band", sa.String(16), nullable=False, server_default=""),
    sa.Column("channel", sa.String(32), nullable=False, server_default=""),
    sa.Column("topic", sa.String(64), nullable=False, server_default=""),
    sa.Column("metric", sa.String(32), nullable=False),
    sa.Column("detail", sa.String(64), nullable=False, server_default=""),
    sa.Column("count", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint(*KEY, name="insight_daily_key"),
    sqlite_with_rowid=False,
)
sa.Index("insight_daily_school", insight_daily.c.school, insight_daily.c.metric, insight_daily.c.day)

UPSERT = sa.text(
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in COLUMNS)}) "
    f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET count = {TABLE}.count + excluded.count"
)


@dataclass(frozen=True)
class Key:
    """One cell of the daily counts; empty strings stand for "not known"."""

    day: str
    metric: str
    school: str = ""
    region: str = ""
    age_band: str = ""
    channel: str = ""
    topic: str = ""
    detail: str = ""

    def row(self, count: int) -> Dict[str, object]:
        return {**{name: getattr(self, name) for name in DIMENSIONS}, "count": count}


def engine_for(db: str) -> sa.engine.Engine:
    """An engine for HARBOUR_DB: a SQLAlchemy URL, or a SQLite file path."""
    url = db if "://" in db else f"sqlite:///{db}"
    return sa.create_engine(url)


def ensure(connectable) -> None:
    """Creates the table and its index if they are missing."""
    metadata.create_all(connectable, checkfirst=True)


def add(connection, counts: Dict[Key, int]) -> None:
    """Adds these counts (on an open connection or session, inside its transaction)."""
    if counts:
        connection.execute(UPSERT, [key.row(n) for key, n in counts.items() if n > 0])


def totals(
    connection,
    start: date,
    end: date,
    by: Sequence[str],
    school: Optional[str] = None,
    region: Optional[str] = None,
    metrics: Optional[Sequence[str]] = None,
) -> List[Tuple]:
    """[(*values of `by`, sum of counts)] for days start..end (inclusive), optionally one
    school, one region and some metrics only."""
    unknown = set(by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown insight dimensions {sorted(unknown)}")
    columns = [insight_daily.c[name] for name in by]
    query = sa.select(*columns, sa.func.sum(insight_daily.c["count"])).where(
        insight_daily.c.day >= start.isoformat(), insight_daily.c.day <= end.isoformat()
    )
    if school is not None:
        query = query.where(insight_daily.c.school == school)
    if region is not None:
        query = query.where(insight_daily.c.region == region)
    if metrics is not None:
        query = query.where(insight_daily.c.metric.in_(list(metrics)))
    if columns:
        query = query.group_by(*columns)
    return [tuple(row) for row in connection.execute(query)]


def all_rows(connection) -> Iterable[Tuple]:
    return connection.execute(sa.select(*[insight_daily.c[c] for c in COLUMNS])).fetchall()
