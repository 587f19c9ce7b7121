"""A place name found in two countries, through the running stack: a qualifier picks the
reading, a bare name gets an answer that says what was assumed, and the parent's
correction (a tap, or typed) moves every later answer to the right region."""

from __future__ import annotations

import pytest
import requests

from bot.tools.stack import running_harbour


@pytest.fixture(scope="module")
def harbour(trained_model, tmp_path_factory):
    with running_harbour(trained_model, tmp_path_factory.mktemp("places"), rate_limits=False) as running:
        yield running


class Parent:
    def __init__(self, harbour) -> None:
        self.url = f"{harbour.web_url}/api/chat"
        self.session = harbour.new_session()  # signed, as the chat page gets one

    def say(self, message: str) -> list:
        field = "payload" if message.startswith("/") else "message"  # a tapped button (issue 18, M1)
        response = requests.post(self.url, json={"session": self.session, field: message}, timeout=60)
        response.raise_for_status()
        return response.json()["messages"]


def text(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize(
    "message,country",
    [
        ("we live in Perth WA", "Australia"),
        ("we're in London, Ontario", "Canada"),
        ("we're in Birmingham AL", "United States"),
        ("we live in Perth in Scotland", "Scotland"),
        ("we're in Halifax, Nova Scotia", "Canada"),
    ],
)
def test_a_qualifier_picks_the_reading_and_nothing_is_assumed(harbour, message, country):
    replies = Parent(harbour).say(message)
    assert f"answers and services for {country}" in text(replies) or f"for the {country}" in text(replies)
    assert "I've assumed" not in text(replies)


def test_a_bare_name_says_the_assumption_and_a_tap_corrects_every_later_answer(harbour):
    parent = Parent(harbour)
    replies = parent.say("we live in Perth")
    said = text(replies)
    assert "Scotland" in said and "I've assumed you mean Perth in Scotland" in said and "Western Australia" in said
    buttons = [b for r in replies for b in r.get("buttons") or []]
    tap = next(b for b in buttons if b["title"] == "Perth in Western Australia")
    assert "Australia" in text(parent.say(tap["payload"]))
    answer = text(parent.say("how do I report someone blackmailing my son with a photo to the police"))
    assert "000" in answer and "ACCCE" in answer and "CEOP" not in answer and "999" not in answer


def test_a_typed_correction_works_too(harbour):
    parent = Parent(harbour)
    assert "I've assumed you mean London in England" in text(parent.say("we're in London"))
    assert "answers and services for Canada" in text(parent.say("we're in Ontario"))
    answer = text(parent.say("what is the age of consent"))
    assert "16" in answer and "Canada" in answer


def test_in_danger_the_uk_number_comes_first_and_the_tap_gives_the_other_number_first(harbour):
    parent = Parent(harbour)
    replies = parent.say(
        "there's a man outside our house right now trying to get my son to come out, we're in Birmingham"
    )
    assert replies[0]["text"].startswith("Call 999")
    assert "911" not in text(replies) and "Birmingham in Alabama" in text(replies)
    tap = next(b for r in replies for b in r.get("buttons") or [] if b["title"] == "Birmingham in Alabama")
    again = parent.say(tap["payload"])
    assert again[0]["text"].startswith("Call 911")
