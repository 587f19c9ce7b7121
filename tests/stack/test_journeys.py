"""The eleven parent journeys, replayed against the running bot.

`rasa test --e2e` (tests/model/test_e2e_stories.py) checks that the right actions are chosen;
this test checks what the parent actually reads: for every response in a journey, the
reply holds the variation for the region and age band the parent gave, a form asks
only when the answer depends on something unknown, and cards follow every answer.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Dict, List, Optional

import pytest
import yaml

from bot.nlu_examples import annotated_entities, plain_text
from bot.paths import ROOT
from bot.tools.responses import load_responses, pick_variation
from bot.tools.stack import running_harbour

JOURNEYS = ROOT / "tests" / "stories" / "test_journeys.yml"
STORIES = yaml.safe_load(JOURNEYS.read_text())["stories"]
RESPONSES = load_responses()
FORM_SLOTS = {"location_form": "location", "age_form": "age_band"}


def turns(story: dict) -> List[dict]:
    """Each user message with the steps that follow it up to the next one."""
    result: List[dict] = []
    for step in story["steps"]:
        if "user" in step:
            result.append({"user": step["user"], "intent": step["intent"], "steps": []})
        elif result:
            result[-1]["steps"].append(step)
    return result


def test_every_journey_has_two_regions_and_a_change_of_mind():
    names = Counter(re.sub(r" \(.*\)$", "", s["story"]) for s in STORIES)
    assert len(names) == 11, sorted(names)
    for name in names:
        labels = [s["story"] for s in STORIES if s["story"].startswith(name + " (")]
        assert len(labels) >= 3, name
        assert any("change of mind" in label for label in labels), name


@pytest.fixture(scope="module")
def harbour(trained_model, tmp_path_factory):
    with running_harbour(trained_model, tmp_path_factory.mktemp("journeys")) as running:
        yield running


@pytest.mark.parametrize("story", STORIES, ids=[s["story"] for s in STORIES])
def test_journey_gives_the_right_answer_for_region_and_age(harbour, story):
    sender = "journey-" + re.sub(r"\W+", "-", story["story"])
    slots: Dict[str, Optional[str]] = {}
    asking: Optional[str] = None
    for turn in turns(story):
        for name, value in annotated_entities(turn["user"]).items():
            if name in ("location", "age_band"):
                slots[name] = value
        if asking and turn["intent"] == "deny" and not slots.get(FORM_SLOTS[asking]):
            slots[FORM_SLOTS[asking]] = "unknown"  # "prefer not to say"
        replies = harbour.say(sender, plain_text(turn["user"]))
        texts = [r.get("text", "") for r in replies]
        assert replies and all(t.strip() or r.get("custom") for t, r in zip(texts, replies)), (turn["user"], replies)

        expected: List[str] = []
        for step in turn["steps"]:
            action = step.get("action")
            if "active_loop" in step:
                asking = step["active_loop"]
            elif action == "action_recommend_support":
                assert any((r.get("custom") or {}).get("type") == "service_cards" for r in replies), turn["user"]
            elif action and action.startswith("utter_"):
                expected.append(pick_variation(RESPONSES, action, slots)["text"])
        if asking:  # the form is waiting: its question is the last thing said
            expected.append(pick_variation(RESPONSES, f"utter_ask_{FORM_SLOTS[asking]}", slots)["text"])
        said, position = "\n\n".join(texts), 0  # the channel sends each paragraph as a bubble
        for text in expected:  # in order, each exactly as written for this region and age
            found = said.find(text, position)
            assert found >= 0, (
                f"{story['story']}: after {plain_text(turn['user'])!r} expected {text[:70]!r}, got {texts}"
            )
            position = found + len(text)


def test_feedback_buttons_through_the_widget_api_are_counted_per_topic(harbour):
    import requests

    from bot.tools.feedback import helpful_counts

    session = harbour.new_session()

    def chat(message, field="message"):
        # A tapped button is sent as "payload", typed text as "message" (issue 18, M1).
        response = requests.post(
            f"{harbour.web_url}/api/chat",
            timeout=30,
            json={"session": session, field: message, "school": "st-marys"},
        )
        assert response.status_code == 200, response.text
        return response.json()["messages"]

    def button(messages, title):
        for message in messages:
            for b in message.get("buttons", []):
                if b["title"] == title:
                    return b["payload"]
        raise AssertionError(f"no {title!r} button in {messages}")

    before = helpful_counts(harbour.db, days=1)
    answer = chat("my daughter sent a nude selfie to a boy at school")
    thanks = chat(button(answer, "Yes, it helped"), "payload")
    assert "Thank you for letting me know" in " ".join(m.get("text", "") for m in thanks)
    chat("will she get a criminal record for it")
    answer = chat("we're in Scotland")
    sorry = " ".join(m.get("text", "") for m in chat(button(answer, "Not really"), "payload"))
    assert "sorry it didn't help" in sorry and "0808 800 5000" in sorry  # with a helpline

    after = helpful_counts(harbour.db, days=1)
    gained = {t: after[t] - before.get(t, type(after[t])()) for t in after}
    assert gained["nude_shared_by_child"]["yes"] == 1
    assert gained["sexting_law"]["no"] == 1
