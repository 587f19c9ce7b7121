"""Asking between two nearly tied topics: when it fires, and the button titles."""

from __future__ import annotations

import pytest

from bot.nlu.choice import MAX_TITLE, close_pair, topic_titles
from bot.topics import content_topics


def ranking(*pairs):
    return [{"name": n, "confidence": c} for n, c in pairs]


def test_every_content_topic_has_a_short_title():
    titles = topic_titles()
    assert set(content_topics()) - {"immediate_danger"} <= set(titles)
    assert all(0 < len(t) <= MAX_TITLE for t in titles.values())


@pytest.mark.parametrize(
    "pairs,expected",
    [
        ((("sexting_law", 0.45), ("report_to_police", 0.40)), ["sexting_law", "report_to_police"]),
        ((("sexting_law", 0.70), ("report_to_police", 0.25)), []),  # confident enough
        ((("sexting_law", 0.45), ("report_to_police", 0.20)), []),  # clear winner
        ((("greet", 0.45), ("thank", 0.40)), []),  # not content topics
        ((("nlu_fallback", 1.0), ("sexting_law", 0.2)), []),  # low confidence asks to rephrase
        ((("immediate_danger", 0.45), ("sextortion", 0.40)), []),  # danger is never a button
    ],
)
def test_a_choice_only_for_two_close_unsure_content_topics(pairs, expected):
    assert close_pair(ranking(*pairs), margin=0.15, unsure_below=0.6) == expected
