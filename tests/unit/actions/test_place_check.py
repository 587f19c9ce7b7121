"""An ambiguous place name in the parent's message: Harbour says what it assumed, once,
with a button per other reading, or follows a qualifier further on (actions/places.py)."""

from datetime import datetime, timezone

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.places import ActionSettlePlace, emergency_numbers, place_check
from actions.support import SERVICES, ActionRecommendSupport

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def user(text, location=None, intent="inform_location"):
    entities = [{"entity": "location", "value": location}] if location else []
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": entities}}


def tracker(events, location, intent="inform_location"):
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        sender_id="parent",
        slots={"location": location, "child_age": 14, "session_started_metadata": None},
        latest_message={"intent": {"name": intent}, "text": latest["text"], "metadata": {}},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def test_a_bare_ambiguous_name_gets_the_note_and_a_button_for_the_other_reading():
    check = place_check(tracker([user("we live in Perth", "GB-SCT")], "GB-SCT"), SERVICES)
    assert check.text.startswith("I've assumed you mean Perth in Scotland.") and "Western Australia" in check.text
    assert check.buttons == [{"title": "Perth in Western Australia", "payload": '/inform_location{"location": "AU"}'}]
    assert check.events == []


def test_the_note_is_said_once_and_not_for_a_tapped_region_or_a_plain_place():
    said = [user("we live in Perth", "GB-SCT"), {"event": "bot", "text": "I've assumed you mean Perth in Scotland."}]
    assert place_check(tracker(said, "GB-SCT"), SERVICES) is None
    tapped = said + [user('/inform_location{"location": "AU"}', "AU")]
    assert place_check(tracker(tapped, "AU"), SERVICES) is None
    assert place_check(tracker([user("we're in Leeds", "GB-ENG")], "GB-ENG"), SERVICES) is None
    assert place_check(tracker([user("we're in Perth WA", "AU")], "AU"), SERVICES) is None


def test_a_qualifier_further_on_moves_the_slot_and_says_so():
    events = [user("we live in Perth, which is out in Western Australia", "GB-SCT")]
    check = place_check(tracker(events, "GB-SCT"), SERVICES)
    assert check.region == "AU" and check.events == [
        {"event": "slot", "name": "location", "value": "AU", "timestamp": None}
    ]
    assert "Western Australia" in check.text


def test_emergency_numbers_come_from_the_directory():
    numbers = emergency_numbers(SERVICES)
    assert numbers["GB-SCT"] == numbers["GB"] == "999"
    assert numbers["AU"] == "000" and numbers["US"] == numbers["CA"] == "911" and numbers["unknown"] is None


def test_in_danger_the_support_action_puts_the_note_before_the_steps_with_a_danger_button():
    action = ActionRecommendSupport()
    action.clock = lambda: NOON
    events = [
        user("a man is outside trying to get my son to come out, we're in Birmingham", "GB-ENG", "immediate_danger")
    ]
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker(events, "GB-ENG", "immediate_danger"), {})
    note = dispatcher.messages[0]
    assert note["text"].startswith("I've assumed you mean Birmingham in England.") and "911" not in note["text"]
    assert note["buttons"][0]["payload"] == '/immediate_danger{"location": "US"}'
    assert all("911" not in (m.get("text") or "") for m in dispatcher.messages)


def test_settle_place_always_logs_an_event_so_the_safety_net_stays_quiet():
    dispatcher = CollectingDispatcher()
    events = ActionSettlePlace().run(dispatcher, tracker([user("we're in Leeds", "GB-ENG")], "GB-ENG"), {})
    assert events and not dispatcher.messages
    dispatcher = CollectingDispatcher()
    ActionSettlePlace().run(dispatcher, tracker([user("we're in London", "GB-ENG")], "GB-ENG"), {})
    assert "London in England" in dispatcher.messages[0]["text"] and "Ontario" in dispatcher.messages[0]["text"]
