"""Stored conversations expire: whole conversations idle past the retention period go."""

import sqlite3
import subprocess
import sys
import time

import pytest

from bot.paths import ROOT
from bot.privacy.retention import SECONDS_PER_DAY, purge

NOW = time.time()


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "harbour.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)")
        rows = [
            ("old", NOW - 40 * SECONDS_PER_DAY),
            ("old", NOW - 31 * SECONDS_PER_DAY),
            ("active", NOW - 45 * SECONDS_PER_DAY),
            ("active", NOW - 1 * SECONDS_PER_DAY),
            ("new", NOW - 60),
        ]
        db.executemany("INSERT INTO events (sender_id, timestamp, data) VALUES (?, ?, '{}')", rows)
    return path


def senders(path):
    with sqlite3.connect(path) as db:
        return sorted({r[0] for r in db.execute("SELECT sender_id FROM events")})


def test_idle_conversations_are_removed_whole_and_active_ones_kept(store):
    assert purge(store, days=30, now=NOW) == 1
    assert senders(store) == ["active", "new"]
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id='active'").fetchone()[0] == 2


def test_missing_database_is_not_an_error(tmp_path):
    assert purge(tmp_path / "none.db", days=30) == 0


def test_zero_days_is_refused(store):
    with pytest.raises(ValueError):
        purge(store, days=0)


def test_command_line_reports_what_it_removed(store):
    result = subprocess.run(
        [sys.executable, "-m", "bot.privacy.retention", "--db", str(store), "--days", "0.0001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "removed 3 conversation(s)" in result.stdout
