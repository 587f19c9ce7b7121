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


def two_servers(tmp_path, monkeypatch, shared=True):
    """Two stores on one database, as two Rasa servers on one PostgreSQL (`make cluster`);
    `shared` is what a database server sets (SQLite itself has one writer)."""
    servers = store(tmp_path, monkeypatch), store(tmp_path, monkeypatch)
    for server in servers:
        server.shared = shared
    return servers


def test_each_message_keeps_its_events_when_two_servers_saved_in_between(tmp_path, monkeypatch):
    first, second = two_servers(tmp_path, monkeypatch)
    asyncio.run(first.save(conversation()))
    slow = asyncio.run(store(tmp_path, monkeypatch).retrieve("parent-1"))  # read by one server ...
    quick = asyncio.run(second.retrieve("parent-1"))  # ... and by the other
    quick.update(UserUttered("what is the age of consent", {"name": "age_of_consent", "confidence": 1.0}))
    quick.update(ActionExecuted("utter_age_of_consent"))
    asyncio.run(second.save(quick))
    slow.update(UserUttered("actually we're in Wales", {"name": "inform_location", "confidence": 1.0}))
    slow.update(SlotSet("location", "GB-WLS"))
    slow.update(ActionExecuted("utter_inform_location"))
    asyncio.run(first.save(slow))
    # Rasa's own store appends after counting the stored rows, which loses the first two of
    # the slow message's three events; each message's events are all stored here.
    assert stored_events(tmp_path) == ["user", "slot", "action"] + ["user", "action"] + ["user", "slot", "action"]
    fresh = asyncio.run(store(tmp_path, monkeypatch).retrieve("parent-1"))
    assert fresh.get_slot("location") == "GB-WLS"


def test_a_conversation_another_server_changed_is_read_again(tmp_path, monkeypatch):
    first, second = two_servers(tmp_path, monkeypatch)
    tracker = conversation()
    asyncio.run(first.save(tracker))
    assert asyncio.run(first.retrieve("parent-1")) is tracker  # nobody else saved it: from memory
    moved = asyncio.run(second.retrieve("parent-1"))
    moved.update(SlotSet("location", "IE"))
    asyncio.run(second.save(moved))
    back = asyncio.run(first.retrieve("parent-1"))
    assert back is not tracker and back.get_slot("location") == "IE"


def test_a_tracker_saved_over_another_servers_events_is_not_kept_in_memory(tmp_path, monkeypatch):
    first, second = two_servers(tmp_path, monkeypatch)
    tracker = conversation()
    asyncio.run(first.save(tracker))
    other = asyncio.run(second.retrieve("parent-1"))
    other.update(SlotSet("location", "IE"))
    asyncio.run(second.save(other))
    tracker.update(ActionExecuted("action_listen"))  # the first server carries on with its copy
    asyncio.run(first.save(tracker))
    again = asyncio.run(first.retrieve("parent-1"))
    assert again is not tracker and len(again.events) == 5  # both servers' events, from the database
