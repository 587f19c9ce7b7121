"""The classifier's arithmetic: mixing two models, when to ask the encoder, crisis tiers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from bot.nlu import cascade
from bot.nlu.components import danger_tier


def test_linear_model_gives_the_same_probabilities_as_scikit_learn_dense_and_sparse():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, 5))
    labels = np.array(["a", "b", "c"])[rng.integers(0, 3, 60)]
    fitted = LogisticRegression(max_iter=500).fit(features, labels)
    model = cascade.LinearModel.from_sklearn(fitted)
    assert np.allclose(model.probabilities(features), fitted.predict_proba(features))
    assert np.allclose(model.probabilities(csr_matrix(features)), fitted.predict_proba(features))
    restored = cascade.LinearModel.from_arrays(model.as_arrays("x"), "x")
    assert list(restored.classes) == ["a", "b", "c"]


def test_binary_model_probabilities():
    features = np.array([[0.0], [1.0], [2.0], [3.0]])
    fitted = LogisticRegression().fit(features, ["no", "no", "yes", "yes"])
    assert np.allclose(cascade.LinearModel.from_sklearn(fitted).probabilities(features), fitted.predict_proba(features))


def test_mix_follows_the_weighted_model_and_sums_to_one():
    sparse, dense = np.array([0.7, 0.2, 0.1]), np.array([0.1, 0.8, 0.1])
    mixed = cascade.mix(sparse, dense, 0.75)
    assert mixed.sum() == pytest.approx(1.0)
    assert int(np.argmax(mixed)) == 1
    assert int(np.argmax(cascade.mix(sparse, dense, 0.25))) == 0


@pytest.mark.parametrize(
    "row,expected",
    [
        ([0.95, 0.04, 0.01], False),  # sure, and no sign of danger
        ([0.55, 0.40, 0.05], True),  # unsure
        ([0.90, 0.02, 0.08], True),  # sure, but danger has some probability
    ],
)
def test_encoder_is_asked_only_when_it_can_change_the_answer(row, expected):
    classes = ["sexting_law", "report_to_police", "immediate_danger"]
    assert cascade.needs_encoder(np.array(row), classes, 0.8, 0.05) is expected


@pytest.mark.parametrize(
    "learned,pattern,tier",
    [
        (0.9, None, "danger"),
        (0.3, None, "possible"),
        (0.1, None, "none"),
        (0.3, "pattern", "danger"),  # a pattern turns the model's doubt into an alarm
        (0.1, "pattern", "possible"),  # ... and a small probability into the question
        (0.01, "pattern", "none"),  # the gate is sure: the news, the past, a figure of speech
        (0.01, "acute", "possible"),  # "he's on the roof": never none
        (0.3, "acute", "danger"),
    ],
)
def test_tiers(learned, pattern, tier):
    assert danger_tier(learned, pattern, danger_at=0.5, possible_at=0.2, pattern_floor=0.05) == tier


def test_ranking_is_sorted_and_bounded():
    ranked = cascade.ranking(["a", "b", "c"], np.array([0.2, 0.5, 0.3]), 2)
    assert [r["name"] for r in ranked] == ["b", "c"]


@pytest.mark.parametrize(
    "text,cry",
    [
        ("🔪😭", True),
        ("ayuda por favor mi hija", True),
        ("pomocy", True),
        ("HELP ME", True),
        ("sos!!!", True),
        ("help me now\nhelp me now\nhelp me now", True),
        ("HELP HELP HELP PLEASE", True),
        (("help me now\n" * 100)[:1000], True),
        ("now", False),
        ("please", False),
        ("help me now with the law", False),
        ("what help is there for parents", False),
        ("can you help me understand the law", False),
        ("ok 👍", False),
    ],
)
def test_a_cry_for_help_in_any_language_is_noticed(text, cry):
    from bot.nlu.crisis import cry_for_help

    assert cry_for_help(text) is cry


def test_the_last_lines_of_a_long_message_are_scored_alone():
    long = "we had a long week with school and exams. " * 10 + "Now she says she has taken all her pills."
    assert cascade.last_lines(long, 300).endswith("taken all her pills.")
    assert len(cascade.last_lines(long, 300)) <= 240
    assert cascade.last_lines("short message", 300) == ""


def test_a_long_message_is_scored_by_its_last_sentence_its_last_two_and_its_last_lines():
    long = "We argue about the phone every night. " * 10 + "She said she can't go on. She has the pills."
    ends = cascade.message_ends(long, 300)
    assert ends[0] == "She has the pills."
    assert "She said she can't go on. She has the pills." in ends
    assert cascade.last_lines(long, 300) in ends
    rest = long.split(". ", 1)[1].strip()  # all but the first sentence, scored last
    assert ends[-1] == rest
    assert cascade.message_ends("She has the pills.", 300) == []
    unpunctuated = "we argue about the phone every night and " * 10 + "she has the pills"
    assert cascade.message_ends(unpunctuated, 300) == [cascade.last_lines(unpunctuated, 300)]


def test_a_question_followed_by_danger_is_scored_without_the_question():
    text = "Is it a crime to threaten a child? He says he'll hurt her. He's due back any minute."
    ends = cascade.message_ends(text, 300)
    assert ends == ["He's due back any minute.", "He says he'll hurt her. He's due back any minute."]
    assert cascade.message_ends("Is it a crime? He's due back.", 300) == ["He's due back."]
