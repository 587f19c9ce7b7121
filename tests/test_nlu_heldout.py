"""The NLU quality gate (issue 7): on messages the model never saw (tests/nlu/), overall
accuracy at least 0.90 and every intent's F1 at least 0.75. Writes reports/nlu_heldout.md;
`make evaluate` writes the fuller reports/nlu.md with cross-validation and pictures."""
from bot.evaluate import gate_failures, held_out
from bot.nlu_report import per_intent, render
from bot.topics import all_topics


def test_held_out_nlu_passes_the_quality_gate(trained_model, tmp_path, reports_dir):
    report = held_out(trained_model, tmp_path)
    (reports_dir / "nlu_heldout.md").write_text(render(report, "Held-out NLU test (tests/nlu/)"))
    assert set(all_topics()) <= set(per_intent(report)), "a contract topic had no held-out test"
    assert not gate_failures(report), "\n".join(gate_failures(report))


def test_gate_catches_a_weak_intent():
    weak = {
        "accuracy": 0.95, "weighted avg": {}, "macro avg": {},
        "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 5},
        "privacy": {"precision": 0.8, "recall": 0.6, "f1-score": 0.69, "support": 5,
                    "confused_with": {"what_can_you_do": 2}},
    }
    failures = gate_failures(weak)
    assert len(failures) == 1 and "privacy" in failures[0] and "what_can_you_do" in failures[0]
    assert gate_failures({**weak, "accuracy": 0.89, "privacy": weak["greet"]}) == [
        "held-out accuracy 0.890 is below 0.9"]
