"""The "next minutes" reply matches the kind of danger the parent described."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.crisis import danger_steps_response


def tracker(*user_events):
    events = [{"event": "user", "text": text, "parse_data": {"harbour_nlu": info}} for text, info in user_events]
    return Tracker("c", {}, {}, events, False, None, {}, "action_listen")


def test_the_kind_of_danger_picks_its_reply():
    t = tracker(("she has pills and says goodbye", {"danger_category": "suicide_self_harm"}))
    assert danger_steps_response(t) == "utter_danger_steps_suicide_self_harm"


def test_after_the_not_safe_button_the_last_typed_message_decides():
    t = tracker(
        ("a man is outside our house", {"danger_category": "adult_at_door", "tier": "possible"}),
        ("/immediate_danger", {}),
    )
    assert danger_steps_response(t) == "utter_danger_steps_adult_at_door"


def test_unknown_or_missing_kind_gets_the_general_steps():
    assert danger_steps_response(tracker(("help", {}))) == "utter_danger_steps"
    assert danger_steps_response(tracker(("x", {"danger_category": "<script>"}))) == "utter_danger_steps"
    assert danger_steps_response(tracker()) == "utter_danger_steps"


def test_every_kind_has_its_reply():
    import yaml

    from actions.crisis import CATEGORIES
    from bot.paths import ROOT

    responses = yaml.safe_load((ROOT / "data" / "responses" / "crisis.yml").read_text())["responses"]
    assert {f"utter_danger_steps_{c}" for c in CATEGORIES} | {"utter_danger_steps"} <= set(responses)


def test_typing_no_to_is_your_child_safe_counts_as_danger():
    from actions.crisis import answered_not_safe

    def conversation(reply_intent, asked="utter_check_safe"):
        events = [
            {
                "event": "user",
                "text": "a man keeps driving past",
                "parse_data": {"intent": {"name": "possible_danger"}},
            },
            {"event": "action", "name": asked},
            {
                "event": "bot",
                "text": "If your child is in danger right now, call 999.",
                "metadata": {"utter_action": asked},
            },
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "no", "parse_data": {"intent": {"name": reply_intent}}},
        ]
        return Tracker("c", {}, {"intent": {"name": reply_intent}}, events, False, None, {}, "action_listen")

    assert answered_not_safe(conversation("deny"))
    assert not answered_not_safe(conversation("affirm"))
    assert not answered_not_safe(conversation("deny", asked="utter_ask_helpful"))
