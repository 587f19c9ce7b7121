"""Deletes stored conversations whose last message is older than the retention period.

Rasa Open Source never deletes tracker events, so Harbour does: `make purge`, every
start of `make run`, and daily while the web app runs (`purge_daily`). A conversation is
removed whole (all its events), never cut short.

    python -m bot.retention --db var/harbour.db --days 30
"""
from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
import time
from pathlib import Path
from typing import Optional

logger = logging.getLogger(__name__)
SECONDS_PER_DAY = 86400


def purge(db_path: Path, days: float, now: Optional[float] = None) -> int:
    """Removes every conversation idle for more than `days`; returns how many."""
    if days <= 0:
        raise ValueError("retention must be a positive number of days")
    if not db_path.exists():
        return 0
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    with sqlite3.connect(db_path) as connection:
        has_events = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'"
        ).fetchone()
        if not has_events:
            return 0
        stale = [
            row[0]
            for row in connection.execute(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?",
                (cutoff,),
            )
        ]
        connection.executemany("DELETE FROM events WHERE sender_id = ?", [(s,) for s in stale])
    return len(stale)


async def purge_daily(db_path: Path, days: float, every: float = SECONDS_PER_DAY) -> None:
    """Runs `purge` every `every` seconds for as long as the server runs."""
    import asyncio

    while True:
        await asyncio.sleep(every)
        try:
            removed = purge(db_path, days)
            logger.info("retention: removed %d conversation(s) idle for more than %g days", removed, days)
        except (ValueError, sqlite3.Error):
            logger.exception("retention: the daily purge failed; it will run again tomorrow")


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="SQLite tracker store file")
    parser.add_argument("--days", type=float, required=True, help="keep conversations this many days")
    args = parser.parse_args(argv)
    try:
        removed = purge(args.db, args.days)
    except (ValueError, sqlite3.Error) as error:
        print(f"retention: {error}", file=sys.stderr)
        return 2
    print(f"retention: removed {removed} conversation(s) idle for more than {args.days:g} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
