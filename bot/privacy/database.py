"""Where conversations are stored: the SQLite file HARBOUR_DB (the embedded default) or,
past one machine, the database URL HARBOUR_DB_URL (PostgreSQL: `make cluster`, deploy/).

Every process that stores or reads conversations picks the place here, so the tracker
store, retention, `make review` and `make feedback` always agree. `describe` names a URL's
host, port and database for an error message and never its password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Union

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import Settings

Store = Union[Path, str]  # a SQLite file, or a database URL


class BadDatabaseUrl(ValueError):
    pass


def location(config: Settings) -> Store:
    """HARBOUR_DB_URL when set, else the SQLite file HARBOUR_DB."""
    return config.db_url if config.db_url else Path(config.db)


def from_argument(value: Union[str, Path]) -> Store:
    """A --db argument: a URL stays a string (Path would fold its '//'), a file becomes a Path."""
    text = str(value)
    return text if is_url(text) else Path(text)


def is_url(store: Any) -> bool:
    return isinstance(store, str) and "://" in store


def parse(url: str) -> URL:
    """The URL, checked: a known scheme with a host and a database. The error never quotes
    the password."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise BadDatabaseUrl(
            "HARBOUR_DB_URL is not a database URL; expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    if parsed.get_backend_name() != "postgresql":
        raise BadDatabaseUrl(
            f"HARBOUR_DB_URL uses '{parsed.drivername}'; Harbour supports postgresql:// "
            "(or HARBOUR_DB for the embedded SQLite file)"
        )
    if not parsed.host or not parsed.database:
        raise BadDatabaseUrl(f"HARBOUR_DB_URL needs a host and a database name ({describe(parsed)})")
    return parsed


def describe(url: Union[str, URL]) -> str:
    """'PostgreSQL database harbour on 127.0.0.1:5432 (user harbour)': no password."""
    parsed = make_url(url) if isinstance(url, str) else url
    where = f"{parsed.host or '?'}:{parsed.port or 5432}"
    user = f" (user {parsed.username})" if parsed.username else ""
    return f"PostgreSQL database {parsed.database or '?'} on {where}{user}"


def tracker_store_arguments(url: str) -> Dict[str, Any]:
    """The keyword arguments of Rasa's SQLTrackerStore for this URL."""
    parsed = parse(url)
    return {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query),
    }


def unreachable(url: str, error: BaseException) -> str:
    """One line for an operator: which database could not be used, and the driver's reason
    (its first line: psycopg2 names the host and port; the password never appears)."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = reason[0] if reason else type(error).__name__
    parsed = make_url(url)
    if parsed.password:
        first = first.replace(parsed.password, "***")
    return f"cannot use the {describe(parsed)}: {first}"
