"""Held-out NLU accuracy on messages the model never saw; writes reports/nlu_heldout.md."""
from bot.nlu_report import per_intent, weakest, write
from bot.topics import all_topics
from bot.stack import run_rasa

MIN_ACCURACY = 0.85


def test_held_out_intent_accuracy(trained_model, tmp_path, reports_dir):
    result = run_rasa(
        "test", "nlu", "--model", str(trained_model), "--nlu", "tests/nlu",
        "--domain", "domain.yml", "--out", str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = write(
        tmp_path / "intent_report.json", reports_dir / "nlu_heldout.md",
        "Held-out NLU test (tests/nlu/)",
    )
    assert set(all_topics()) <= set(per_intent(report)), "a contract topic had no held-out test"
    assert report["accuracy"] >= MIN_ACCURACY, (
        f"held-out accuracy {report['accuracy']:.3f} < {MIN_ACCURACY}; weakest: {weakest(report)}"
    )
