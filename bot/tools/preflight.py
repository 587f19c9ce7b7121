"""Checks, before a server starts, that PostgreSQL (HARBOUR_DB_URL) and Redis
(HARBOUR_REDIS_URL) answer; a problem is one clear line naming the host and port (never
the password) and exit status 2, not a stack trace.

    python -m bot.tools.preflight          # what `make cluster` and deploy/compose.yml run first
"""

from __future__ import annotations

import sys
from typing import List, Optional
from urllib.parse import urlsplit

from bot import settings
from bot.privacy.database import BadDatabaseUrl, parse, unreachable
from bot.rasa.lock_store import redis_arguments

DATABASE_TIMEOUT = 5  # seconds to wait for PostgreSQL to accept a connection
REDIS_TIMEOUT = 3


class Unreachable(RuntimeError):
    pass


def check_database(url: str, timeout: float = DATABASE_TIMEOUT) -> None:
    """Raises Unreachable unless the database at `url` accepts a connection and a query."""
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    try:
        parsed = parse(url)
    except BadDatabaseUrl as bad:
        raise Unreachable(str(bad)) from None
    engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": int(timeout)})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as error:
        raise Unreachable(unreachable(url, error)) from None
    finally:
        engine.dispose()


def describe_redis(url: str) -> str:
    parts = urlsplit(url)
    return f"Redis on {parts.hostname}:{parts.port or 6379}"


def check_redis(url: str, timeout: float = REDIS_TIMEOUT) -> None:
    """Raises Unreachable unless Redis at `url` answers PING."""
    import redis

    try:
        arguments = redis_arguments(url)
    except ValueError as bad:
        raise Unreachable(str(bad)) from None
    arguments.pop("use_ssl")
    client = redis.Redis(
        **arguments, ssl=url.startswith("rediss:"), socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        client.ping()
    except redis.RedisError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        if arguments.get("password"):
            reason = reason.replace(arguments["password"], "***")
        raise Unreachable(f"cannot use {describe_redis(url)}: {reason}") from None
    finally:
        client.close()


def problems(config: settings.Settings) -> List[str]:
    """One line per store that is configured and does not answer."""
    found = []
    for url, check in ((config.db_url, check_database), (config.redis_url, check_redis)):
        if url:
            try:
                check(url)
            except Unreachable as problem:
                found.append(str(problem))
    return found


def main(argv: Optional[list] = None) -> int:
    try:
        config = settings.load()
    except ValueError as bad:
        print(f"Harbour: {bad}", file=sys.stderr)
        return 2
    found = problems(config)
    for line in found:
        print(f"Harbour: {line}", file=sys.stderr)
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main())
