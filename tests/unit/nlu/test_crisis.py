"""Crisis detection: the held-out sets, the guards and the patterns (no model needed;
the held-out sets through the trained pipeline are tests/model/test_crisis_pipeline.py)."""

import pytest

from bot.nlu.crisis import assess
from bot.paths import ROOT
from tests.unit.content.test_training_data import TRAINING, normalise

FOLDER = ROOT / "tests" / "crisis"
MIN_RECALL, MAX_FALSE_ALARMS = 0.98, 0.05


def load(name):
    lines = (FOLDER / name).read_text(encoding="utf-8").splitlines()
    return [l.strip() for l in lines if l.strip() and not l.startswith("#")]


CRISIS, NOT_CRISIS = load("crisis.txt"), load("not_crisis.txt")


def test_held_out_sets_are_big_enough_and_never_in_training_data():
    assert len(CRISIS) >= 60 and len(NOT_CRISIS) >= 60
    trained = {normalise(e) for examples in TRAINING.values() for e in examples}
    assert not [t for t in CRISIS + NOT_CRISIS if normalise(t) in trained]


@pytest.mark.parametrize(
    "text,reason",
    [
        ("I could kill him", "a figure of speech"),
        ("I'm dying of embarrassment", "a figure of speech"),
        ("this is killing me", "a figure of speech"),
        ("it happened last year and police dealt with it", "a past event"),
        ("he's in danger of failing his exams", "a figure of speech"),
    ],
)
def test_figures_of_speech_and_past_events_veto_even_a_confident_classifier(text, reason):
    from bot.nlu.crisis import crisis_confidence

    assert assess(text).reason == reason
    assert crisis_confidence(text, classifier_says=0.95) is None


@pytest.mark.parametrize(
    "text,reason",
    [
        ("she went missing last year but she's fine now", "a past event"),
        ("what should i do if my daughter goes missing", "a general question"),
        ("his girlfriend says she'll hurt herself if he leaves her", "a controlling threat in a relationship"),
        ("he ran away this morning but he's home and safe now", "the child is safe now"),
    ],
)
def test_a_guard_stops_a_danger_pattern_and_says_why(text, reason):
    verdict = assess(text)
    assert not verdict.crisis and verdict.reason == reason


def test_anger_does_not_hide_real_danger():
    assert assess("I could kill the boy who did this, and my son says he wants to kill himself").crisis


def test_not_safe_is_still_danger():
    assert assess("she's not safe now, he's with her").crisis
