"""bot/rasa/tracker_store.py: the same conversations as Rasa's SQL store, sooner."""

import asyncio
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT
from bot.rasa.tracker_store import HarbourSQLTrackerStore

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def store(tmp_path, monkeypatch, seconds="600"):
    monkeypatch.setenv("HARBOUR_TRACKER_CACHE_SECONDS", seconds)
    return HarbourSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))


def conversation(sender="parent-1"):
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("we're in Scotland", {"name": "inform_location", "confidence": 1.0}))
    tracker.update(SlotSet("location", "GB-SCT"))
    tracker.update(ActionExecuted("utter_inform_location"))
    return tracker


def stored_events(tmp_path, sender="parent-1"):
    with sqlite3.connect(tmp_path / "t.db") as db:
        return [row[0] for row in db.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


def test_sqlite_runs_in_write_ahead_log_mode(tmp_path, monkeypatch):
    tracker_store = store(tmp_path, monkeypatch)
    asyncio.run(tracker_store.save(conversation()))
    with sqlite3.connect(tmp_path / "t.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_event_is_stored_once_across_turns(tmp_path, monkeypatch):
    tracker_store = store(tmp_path, monkeypatch)
    tracker = conversation()
    asyncio.run(tracker_store.save(tracker))
    again = asyncio.run(tracker_store.retrieve("parent-1"))
    assert again is tracker  # served from memory
    again.update(UserUttered("thanks", {"name": "thank", "confidence": 1.0}))
    again.update(ActionExecuted("utter_thank"))
    asyncio.run(tracker_store.save(again))
    assert stored_events(tmp_path) == ["user", "slot", "action", "user", "action"]
    fresh = asyncio.run(store(tmp_path, monkeypatch).retrieve("parent-1"))
    assert fresh.get_slot("location") == "GB-SCT" and len(fresh.events) == 5


def test_a_tracker_changed_but_not_saved_is_read_from_the_database(tmp_path, monkeypatch):
    tracker_store = store(tmp_path, monkeypatch)
    tracker = conversation()
    asyncio.run(tracker_store.save(tracker))
    tracker.update(SlotSet("location", "IE"))  # e.g. a turn that failed before saving
    again = asyncio.run(tracker_store.retrieve("parent-1"))
    assert again is not tracker and again.get_slot("location") == "GB-SCT"


@pytest.mark.parametrize("seconds", ["0", "0.000001"])
def test_no_memory_beyond_the_cache_time(tmp_path, monkeypatch, seconds):
    tracker_store = store(tmp_path, monkeypatch, seconds)
    tracker = conversation()
    asyncio.run(tracker_store.save(tracker))
    with sqlite3.connect(tmp_path / "t.db") as db:
        db.execute("DELETE FROM events")  # the retention purge, from another process
    assert asyncio.run(tracker_store.retrieve("parent-1")) is None
