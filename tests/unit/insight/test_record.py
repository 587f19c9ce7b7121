"""What a real conversation leaves in the insight table: counts by day, and nothing a
person wrote, no session id and no time of day. The counts outlive the retention purge."""

import asyncio
import sqlite3
import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.insight import store as insight_store
from bot.paths import ROOT
from bot.privacy.retention import SECONDS_PER_DAY, purge
from bot.rasa.tracker_store import HarbourSQLTrackerStore

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
SENDER = "7d6c2a1e-5b4f-4e3d-9c8b-0a1b2c3d4e5f"
SAID = "my 14 year old Jasmine sent a nude to a boy, call me on 07700 900123"
NOW = time.time()
TODAY = time.strftime("%Y-%m-%d", time.gmtime(NOW))


def tracker_store(tmp_path, monkeypatch):
    monkeypatch.setenv("HARBOUR_TRACKER_CACHE_SECONDS", "600")
    return HarbourSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))


def user(text, intent, **kwargs):
    return UserUttered(
        text, {"name": intent, "confidence": 0.9}, metadata={"school": "st-marys"}, input_channel="rest", **kwargs
    )


def a_conversation(tracker_store):
    """Two turns, saved after each as Rasa does: a question answered, then "helpful: yes"."""
    tracker = DialogueStateTracker(SENDER, DOMAIN.slots)
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        user(SAID, "nude_shared_by_child"),
        SlotSet("child_age", 14.0),
        ActionExecuted("utter_nude_shared_by_child"),
        ActionExecuted("action_recommend_support"),
        ActionExecuted("utter_ask_helpful"),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    asyncio.run(tracker_store.save(tracker))
    for event in (
        user('/helpful{"helpful": "yes"}', "helpful"),
        SlotSet("helpful", "yes"),
        ActionExecuted("utter_helpful_yes"),
        ActionExecuted("action_listen"),
        user("I can't tell you, it is too hard", "nlu_fallback"),
        ActionExecuted("utter_default"),
    ):
        tracker.update(event)
    asyncio.run(tracker_store.save(tracker))
    return tracker


def rows(path):
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM insight_daily ORDER BY metric")]


def test_a_conversation_is_counted_by_day_topic_school_region_and_age(tmp_path, monkeypatch):
    a_conversation(tracker_store(tmp_path, monkeypatch))
    found = {r["metric"]: r for r in rows(tmp_path / "t.db")}
    assert sorted(found) == ["answer", "conversation", "fallback", "helpful_yes"]
    for row in found.values():
        assert row["count"] == 1 and row["day"] == TODAY
        assert (row["school"], row["region"], row["age_band"], row["channel"]) == (
            "st-marys",
            "GB-ENG",
            "13_17",
            "rest",
        )
    assert found["answer"]["topic"] == found["helpful_yes"]["topic"] == "nude_shared_by_child"


def test_nothing_a_parent_wrote_nor_any_id_or_time_is_stored(tmp_path, monkeypatch):
    a_conversation(tracker_store(tmp_path, monkeypatch))
    with sqlite3.connect(tmp_path / "t.db") as db:
        columns = [c[1] for c in db.execute("PRAGMA table_info(insight_daily)")]
        dump = "\n".join(db.iterdump())
    assert columns == ["day", "school", "region", "age_band", "channel", "topic", "metric", "detail", "count"]
    insight = [line for line in dump.splitlines() if "insight_daily" in line]
    text = "\n".join(insight)
    for secret in (SENDER, "Jasmine", "07700", "nude to a boy", "too hard", 'helpful":', str(int(NOW))[:6]):
        assert secret not in text
    for row in rows(tmp_path / "t.db"):
        assert len(row["day"]) == 10 and row["day"].count("-") == 2  # a date, never a time


def test_counts_outlive_the_retention_purge(tmp_path, monkeypatch):
    a_conversation(tracker_store(tmp_path, monkeypatch))
    assert purge(tmp_path / "t.db", days=30, now=NOW + 31 * SECONDS_PER_DAY) == 1
    with sqlite3.connect(tmp_path / "t.db") as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    assert len(rows(tmp_path / "t.db")) == 4


def test_a_failure_to_count_never_stops_the_conversation_being_saved(tmp_path, monkeypatch):
    def broken(*_):
        raise RuntimeError("disk full")

    monkeypatch.setattr(insight_store, "add", broken)
    saved = tracker_store(tmp_path, monkeypatch)
    a_conversation(saved)
    with sqlite3.connect(tmp_path / "t.db") as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (SENDER,)).fetchone()[0] == 15
        assert db.execute("SELECT COUNT(*) FROM insight_daily").fetchone()[0] == 0


def test_crisis_tiers_and_clarifying_questions_are_counted(tmp_path, monkeypatch):
    saved = tracker_store(tmp_path, monkeypatch)
    tracker = DialogueStateTracker("another-conversation-0001", DOMAIN.slots)
    for event in (
        SessionStarted(),
        user("he is meeting a man right now", "immediate_danger"),
        ActionExecuted("utter_immediate_danger"),
        user("not sure", "possible_danger"),
        user("nudes or sexting", "choose_topic"),
        ActionExecuted("utter_choose_topic"),
    ):
        tracker.update(event)
    asyncio.run(saved.save(tracker))
    metrics = sorted(r["metric"] for r in rows(tmp_path / "t.db"))
    assert metrics == ["clarify", "conversation", "crisis_danger", "crisis_possible"]
