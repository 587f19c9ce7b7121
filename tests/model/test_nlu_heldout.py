"""The NLU quality gate: on messages the model never saw (tests/nlu/), overall
accuracy at least 0.90 and every intent's F1 at least 0.75. Writes reports/nlu_heldout.md;
`make evaluate` writes the fuller reports/nlu.md with cross-validation and pictures."""

from bot.tools.evaluate import gate_failures, held_out
from bot.tools.nlu_report import per_intent, render
from bot.topics import all_topics


def test_held_out_nlu_passes_the_quality_gate(trained_model, tmp_path, reports_dir):
    report = held_out(trained_model, tmp_path)
    (reports_dir / "nlu_heldout.md").write_text(render(report, "Held-out NLU test (tests/nlu/)"))
    assert set(all_topics()) <= set(per_intent(report)), "a contract topic had no held-out test"
    assert not gate_failures(report), "\n".join(gate_failures(report))
