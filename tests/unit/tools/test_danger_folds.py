"""The gate's validation holds out what it says: whole writers' files, or balanced folds."""

from __future__ import annotations

import numpy as np

from bot.tools.danger_folds import Example, fold_ids, report


def example(source: str, danger: bool, near_miss=None, category=None) -> Example:
    return Example(f"{source} {danger} {near_miss}", danger, near_miss, category, source)


EXAMPLES = (
    [example("writer_a", True, category="abuse_now")] * 3
    + [example("writer_a", False, near_miss="past_resolved")] * 3
    + [example("writer_b", True, category="abuse_now")] * 2
    + [example("writer_b", False, near_miss="news_others")] * 2
    + [example("greetings", False)] * 4  # no crisis lines: always trained on, never held out
)


def test_by_file_holds_out_each_crisis_writer_whole_and_always_trains_on_the_rest():
    ids = fold_ids(EXAMPLES, folds=5, by_file=True)
    assert sorted(set(ids)) == [-1, 0, 1]
    for fold in (0, 1):
        assert len({EXAMPLES[i].source for i in np.where(ids == fold)[0]}) == 1
    assert all(ids[i] == -1 for i, e in enumerate(EXAMPLES) if e.source == "greetings")


def test_folds_spread_danger_examples_evenly():
    many = [example("w", i % 3 == 0) for i in range(300)]
    ids = fold_ids(many, folds=5, by_file=False)
    per_fold = [sum(1 for i in np.where(ids == f)[0] if many[i].danger) for f in range(5)]
    assert max(per_fold) - min(per_fold) <= 1


def test_report_counts_a_possible_danger_tier_as_a_catch_and_as_a_false_alarm():
    scores = np.array([0.9, 0.3, 0.01, 0.3, 0.01, 0.01] + [np.nan] * (len(EXAMPLES) - 6))
    text = report(EXAMPLES, scores, [None] * len(EXAMPLES))
    assert "recall (danger or possible): 0.667 (2/3)" in text
    assert "recall (danger tier):        0.333 (1/3)" in text
    assert "near-miss alarms:            0.333 (1/3)" in text


def test_the_folds_use_the_thresholds_the_product_uses():
    from bot.tools.danger_folds import settings_from_config
    from bot.yamlio import load_yaml

    found = settings_from_config()
    detector = next(c for c in load_yaml("config.yml")["pipeline"] if c["name"].endswith("CrisisDetector"))
    assert (found["danger_at"], found["possible_at"]) == (detector["danger_at"], detector["possible_at"])
    assert 0 < found["ends_above"] < found["possible_at"]


def test_thresholds_passed_to_the_report_decide_what_counts_as_caught():
    scores = np.array([0.9, 0.12, 0.01, 0.12, 0.01, 0.01] + [np.nan] * (len(EXAMPLES) - 6))
    strict = report(EXAMPLES, scores, [None] * len(EXAMPLES), (0.5, 0.15, 0.05))
    loose = report(EXAMPLES, scores, [None] * len(EXAMPLES), (0.5, 0.10, 0.05))
    assert "recall (danger or possible): 0.333 (1/3)" in strict
    assert "recall (danger or possible): 0.667 (2/3)" in loose
