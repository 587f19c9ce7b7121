"""Deletes stored conversations whose last message is older than the retention period.

Rasa Open Source never deletes tracker events, so Harbour does: `make purge`, every
start of `make run`, and daily from `make run`'s supervisor (scripts/run.sh runs this
module with --every). The public web app deletes nothing. A conversation is removed
whole (all its events), never cut short. In a deployment, run it as its own job: once a
day from a timer, or as a long-running process with --every.

    python -m bot.privacy.retention                      # HARBOUR_DB, RETENTION_DAYS
    python -m bot.privacy.retention --db var/harbour.db --days 30
    python -m bot.privacy.retention --every 86400        # now, then daily, until stopped
    python -m bot.privacy.retention --db postgresql://…  # PostgreSQL (default: HARBOUR_DB_URL)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Optional, Union

from sqlalchemy.exc import SQLAlchemyError

from bot import settings
from bot.privacy.conversations import SECONDS_PER_DAY, delete_idle, since
from bot.privacy.database import from_argument, is_url, location, unreachable

STORE_ERRORS = (ValueError, sqlite3.Error, SQLAlchemyError)

logger = logging.getLogger(__name__)


def purge(db_path: Union[Path, str], days: float, now: Optional[float] = None) -> int:
    """Removes every conversation idle for more than `days`; returns how many."""
    if days <= 0:
        raise ValueError("retention must be a positive number of days")
    return delete_idle(db_path, since(days, now))


async def purge_daily(db_path: Union[Path, str], days: float, every: float = SECONDS_PER_DAY) -> None:
    """Runs `purge` every `every` seconds for as long as it runs."""
    while True:
        await asyncio.sleep(every)
        try:
            removed = purge(db_path, days)
            logger.info("retention: removed %d conversation(s) idle for more than %g days", removed, days)
        except STORE_ERRORS as error:
            problem = unreachable(db_path, error) if is_url(db_path) else str(error)
            logger.error("retention: the daily purge failed (%s); it will run again tomorrow", problem)


def main(argv: Optional[list] = None) -> int:
    config = settings.load()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=from_argument,
        default=location(config),
        help="SQLite tracker store file (HARBOUR_DB) or PostgreSQL URL (HARBOUR_DB_URL, used when set)",
    )
    parser.add_argument(
        "--days", type=float, default=config.retention_days, help="keep conversations this many days (RETENTION_DAYS)"
    )
    parser.add_argument(
        "--every", type=float, default=None, help="after the first purge, purge every this many seconds"
    )
    args = parser.parse_args(argv)
    try:
        removed = purge(args.db, args.days)
    except STORE_ERRORS as error:
        problem = unreachable(args.db, error) if is_url(args.db) and not isinstance(error, ValueError) else error
        print(f"retention: {problem}", file=sys.stderr)
        return 2
    print(f"retention: removed {removed} conversation(s) idle for more than {args.days:g} days", flush=True)
    if args.every:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
        try:
            asyncio.run(purge_daily(args.db, args.days, args.every))
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
