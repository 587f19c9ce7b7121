"""The NLU quality gate names the weak intent and what it was confused with."""

from bot.tools.evaluate import gate_failures


def test_gate_catches_a_weak_intent():
    weak = {
        "accuracy": 0.95,
        "weighted avg": {},
        "macro avg": {},
        "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 5},
        "privacy": {
            "precision": 0.8,
            "recall": 0.6,
            "f1-score": 0.69,
            "support": 5,
            "confused_with": {"what_can_you_do": 2},
        },
    }
    failures = gate_failures(weak)
    assert len(failures) == 1 and "privacy" in failures[0] and "what_can_you_do" in failures[0]
    assert gate_failures({**weak, "accuracy": 0.89, "privacy": weak["greet"]}) == [
        "held-out accuracy 0.890 is below 0.9"
    ]
