"""action_recommend_support with real rasa_sdk Tracker objects and a fixed clock."""

import logging
from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.support import ActionRecommendSupport

SATURDAY_NIGHT = datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc)


def tracker(intent, location=None, age=None, metadata=None):
    return Tracker(
        sender_id="parent",
        slots={"location": location, "child_age": age, "session_started_metadata": None},
        latest_message={"intent": {"name": intent, "confidence": 0.9}, "text": "...", "metadata": metadata or {}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def action():
    instance = ActionRecommendSupport()
    instance.clock = lambda: SATURDAY_NIGHT
    return instance


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, events


def test_text_is_complete_without_cards_and_cards_carry_contacts(action):
    messages, events = run(action, tracker("sextortion", "GB-ENG", 15))
    assert events == []
    last = messages[-1]
    assert last["text"].startswith("Who can help:") and "CEOP" in last["text"]
    cards = last["custom"]["cards"]
    assert 1 <= len(cards) <= 3
    assert set(cards[0]) == {"id", "name", "description", "phone", "text", "web", "hours", "open_now"}


def test_immediate_danger_lists_the_emergency_number_first(action):
    messages, _ = run(action, tracker("immediate_danger", "AU", 12))
    text = messages[-1]["text"]
    assert text.splitlines()[1].startswith("- Emergency services, Australia (Triple Zero 000): call 000")


def test_school_dsl_is_named_for_school_topics(action):
    messages, _ = run(action, tracker("what_school_will_do", metadata={"school": "st-marys"}))
    assert "Ms Alex Morgan" in messages[0]["text"]


def test_school_dsl_is_not_named_for_unrelated_topics(action):
    messages, _ = run(action, tracker("age_of_consent", metadata={"school": "st-marys"}))
    assert not any("Ms Alex Morgan" in m["text"] for m in messages)


def test_school_region_is_used_when_the_parent_has_not_said(action):
    messages, _ = run(action, tracker("sextortion", None, 15, metadata={"school": "st-marys"}))
    assert all(c["id"] != "police_scotland" for c in messages[-1]["custom"]["cards"])


def test_unknown_school_is_ignored_with_a_log_line(action, caplog):
    caplog.set_level(logging.INFO, logger="bot.services.schools")
    messages, _ = run(action, tracker("what_school_will_do", metadata={"school": "hogwarts"}))
    assert messages and "hogwarts" in caplog.text


@pytest.mark.parametrize("intent", ["greet", "affirm", "nlu_fallback", None])
def test_non_topic_intents_still_get_general_support(action, intent):
    messages, _ = run(action, tracker(intent))
    assert messages[-1]["custom"]["cards"]


def test_unconfirmed_phone_numbers_are_not_offered(action):
    messages, _ = run(action, tracker("child_harmful_sexual_behaviour", "IE", 10))
    cari = [c for c in messages[-1]["custom"]["cards"] if c["id"] == "cari_ireland"]
    assert all(c["phone"] is None for c in cari)
    assert "0818 924 567" not in messages[-1]["text"]


def test_irish_cards_use_the_number_that_works_from_ireland(action):
    messages, _ = run(action, tracker("child_harmful_sexual_behaviour", "IE", 14))
    assert "0808 1000 900" not in messages[-1]["text"]
    stop_it_now = [c for c in messages[-1]["custom"]["cards"] if c["id"] == "stop_it_now_uk_ireland"]
    assert all(c["phone"] == "+44 1372 847 161" for c in stop_it_now)


def test_a_country_without_answers_gets_no_uk_only_numbers(action):
    messages, _ = run(action, tracker("sextortion", "unknown", 15))
    last = messages[-1]
    assert "in the UK" in last["text"]
    assert all(not c["phone"] or c["phone"].startswith("+") for c in last["custom"]["cards"])
