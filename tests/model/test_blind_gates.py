"""The gates that matter: understanding and crisis detection on the blind sets.

tests/blind/ was written by helpers who saw only the topic contract and the danger
categories (each file's header says so). bot/tools/blind.py scores it; the per-topic and
per-category tables go to reports/blind-nlu.md and reports/blind-crisis.md.
"""

from __future__ import annotations

import pytest

from bot.tools import blind

# Issue 14's targets.
MIN_ACCURACY, MIN_MACRO_F1, MIN_TOPIC_F1 = 0.90, 0.88, 0.75
MAX_CLARIFY_OR_CHECK = 0.10
# Crisis floors on tests/blind/crisis.yml: issue 13's targets (>= 0.98 overall, >= 0.95 per
# category, false alarms <= 0.05). The sixth edition, written on 2026-11-30 while a fourth
# writer's data and the parts rule were added, measured once on the final model: recall
# 0.991, every category >= 0.96, false alarms 0.050. Never loosen these; when one fails,
# improve the model in general and have a new set written rather than tuning to this one
# (tests/blind/crisis_v1-v5.yml are kept).
MIN_RECALL, MIN_CATEGORY_RECALL, MAX_FALSE_ALARMS = 0.98, 0.95, 0.05


@pytest.fixture(scope="module")
def scores(trained_model, reports_dir):
    rows, crisis = blind.nlu_set(), blind.crisis_set()
    texts = [t for t, _ in rows] + [i["text"] for part in crisis.values() for i in part]
    parses = blind.parse_all(trained_model, texts)
    nlu, danger = blind.score_nlu(rows, parses), blind.score_crisis(crisis, parses)
    blind.write_reports(nlu, danger, reports_dir)
    return nlu, danger


def test_blind_understanding(scores):
    nlu, _ = scores
    weak = {k: round(v, 2) for k, v in nlu.f1.items() if v < MIN_TOPIC_F1}
    assert nlu.accuracy >= MIN_ACCURACY, f"blind accuracy {nlu.accuracy:.3f}; confusions {nlu.confusions[:5]}"
    assert nlu.macro_f1 >= MIN_MACRO_F1, f"blind macro-F1 {nlu.macro_f1:.3f}"
    assert not weak, f"topics below F1 {MIN_TOPIC_F1}: {weak}"


def test_harbour_asks_rather_than_answers_only_rarely(scores):
    nlu, _ = scores
    assert nlu.choose_rate <= MAX_CLARIFY_OR_CHECK, f"a choice between topics on {nlu.choose_rate:.1%}"
    assert nlu.possible_rate <= MAX_CLARIFY_OR_CHECK, f"possible-danger check on {nlu.possible_rate:.1%}"


def test_blind_crisis_recall(scores):
    _, danger = scores
    assert danger.recall >= MIN_RECALL, (
        f"recall {danger.recall:.3f}; {len(danger.missed)} missed (reports/blind-crisis.md)"
    )
    crisis_categories = {i["category"] for i in blind.crisis_set()["crisis"]}
    low = {
        k: f"{a}/{b}"
        for k, (a, b) in danger.by_category.items()
        if k in crisis_categories and a / b < MIN_CATEGORY_RECALL
    }
    assert not low, f"categories below recall {MIN_CATEGORY_RECALL}: {low}"


def test_blind_false_alarms(scores):
    _, danger = scores
    assert danger.false_alarms <= MAX_FALSE_ALARMS, f"false alarms {danger.false_alarms:.3f} (reports/blind-crisis.md)"
