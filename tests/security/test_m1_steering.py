"""M1: whoever knew a session id could steer it with typed `/intent{...}` messages.

Typed text is text; only a button Harbour offered in its last reply to that session is
accepted as a payload, exactly as written; slot values are checked in the actions.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.security.helpers import FakeRasa, body, client, post, session_id

LOCATION_BUTTONS = [
    {
        "text": "Where do you live?",
        "buttons": [
            {"title": "Scotland", "payload": '/inform_location{"location":"GB-SCT"}'},
            {"title": "Yes", "payload": "/affirm"},
        ],
    }
]


def test_m1_typed_intent_syntax_reaches_rasa_as_plain_text():
    rasa = FakeRasa()
    response = post(client(rasa), body('/inform_location{"location":"US"}'))
    assert response.status == 200
    sent = rasa.calls[0][1]
    assert not sent.startswith("/") and "inform_location" in sent


def test_m1_only_a_payload_offered_in_the_last_reply_is_accepted_exactly():
    rasa = FakeRasa(LOCATION_BUTTONS)
    test_client, session = client(rasa), session_id()
    assert post(test_client, body("hello", session=session)).status == 200
    # Never offered, or offered without the entity part Harbour wrote: refused, not forwarded.
    for steering in ('/inform_location{"location":"US"}', "/restart", '/affirm{"location":"US"}'):
        refused = post(test_client, {"session": session, "payload": steering, "school": "st-marys"})
        assert refused.status == 409 and "type" in refused.json["error"]
    assert len(rasa.calls) == 1
    chosen = '/inform_location{"location":"GB-SCT"}'
    assert post(test_client, {"session": session, "payload": chosen, "school": "st-marys"}).status == 200
    assert rasa.calls[-1][1] == chosen
    # Another session never got that button.
    other = post(test_client, {"session": session_id(), "payload": chosen, "school": "st-marys"})
    assert other.status == 409


def test_m1_an_offered_button_expires_when_the_next_reply_offers_others():
    rasa = FakeRasa(LOCATION_BUTTONS)
    test_client, session = client(rasa), session_id()
    post(test_client, body("hello", session=session))
    rasa.replies = [{"text": "Thanks"}]
    assert post(test_client, {"session": session, "payload": "/affirm", "school": "st-marys"}).status == 200
    assert post(test_client, {"session": session, "payload": "/affirm", "school": "st-marys"}).status == 409


def _tracker(**slots):
    values = {"location": None, "child_age": None, "age_band": None, "pending_topic": None}
    values.update(slots)
    values.setdefault("session_started_metadata", None)
    metadata = slots.pop("metadata", {"school": {"nested": [1]}})
    return Tracker(
        sender_id="parent",
        slots=values,
        latest_message={
            "intent": {"name": "nude_shared_by_child", "confidence": 0.9},
            "text": "x",
            "metadata": metadata,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    "slots",
    [
        {"location": {"nested": [1, 2, 3]}},
        {"location": ["US"], "child_age": {"a": 1}},
        {"location": "x" * 100_000, "child_age": "x" * 100_000, "age_band": ["13_17"]},
        {"pending_topic": {"x": 1}, "session_started_metadata": ["school"]},
        {"child_age": True, "age_band": {"nested": {}}},
    ],
)
def test_m1_any_slot_value_still_gets_the_parent_an_answer_with_a_helpline(slots):
    from actions.support import ActionRecommendSupport

    action = ActionRecommendSupport()
    action.clock = lambda: datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc)
    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, _tracker(**slots), {}) == []
    text = dispatcher.messages[-1]["text"]
    assert "Childline" in text or "NSPCC" in text or "CEOP" in text
