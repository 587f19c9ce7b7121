"""Every contract topic has an end-to-end test story (tests/model/test_e2e_stories.py runs them)."""

import yaml

from bot.paths import ROOT
from bot.topics import all_topics

STORIES = ROOT / "tests" / "stories"


def test_every_contract_topic_has_an_e2e_story():
    covered = set()
    for path in STORIES.glob("test_*.yml"):
        for story in yaml.safe_load(path.read_text())["stories"]:
            covered |= {s["intent"] for s in story["steps"] if "user" in s}
    assert set(all_topics()) <= covered, f"no e2e story for {set(all_topics()) - covered}"
