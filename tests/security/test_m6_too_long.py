"""M6 (server part): an over-long message is refused clearly, never cut silently, and a
crisis in it still gets the emergency number."""

from __future__ import annotations

from tests.security.helpers import FakeRasa, body, client, post

PADDING = "I have been going over and over what happened last week and I don't know where to start. " * 12
CRISIS = " She has just texted me that she's gone to meet him now and I can't reach her."


def test_m6_over_long_message_is_413_with_a_clear_message_and_not_sent_to_rasa():
    rasa = FakeRasa()
    response = post(client(rasa), body(PADDING))
    assert response.status == 413 and rasa.calls == []
    assert "shorter parts" in response.json["error"] and "1,000" in response.json["error"]
    texts = [m["text"] for m in response.json["messages"]]
    assert texts == [response.json["error"]]  # no emergency number without a crisis


def test_m6_over_long_message_with_a_crisis_at_the_end_gives_the_schools_emergency_number():
    response = post(client(), body(PADDING + CRISIS))
    assert response.status == 413
    first = response.json["messages"][0]["text"]
    assert first.startswith("If a child is in danger now, call 999.")


def test_m6_without_a_school_every_regions_emergency_number_is_given():
    payload = body(PADDING + CRISIS)
    payload.pop("school")
    response = post(client(), payload, origin=None)
    first = response.json["messages"][0]["text"]
    assert response.status == 413
    for number in ("999", "112", "911", "000"):
        assert number in first
