"""`make evaluate`: how well Harbour understands parents, on messages it never trained on.

1. Held-out test: the trained model parses every message in tests/nlu/.
2. 5-fold cross-validation: Rasa trains on four fifths of data/nlu/ and tests on the
   rest, five times, with Harbour's config.yml.

Writes reports/nlu.md (per-intent precision, recall, F1 and support for both, and the
worst confusions), reports/nlu_confusion_matrix.png and reports/nlu_confidence_histogram.png
(both from the held-out test). The same gates run in `make test`
(tests/model/test_nlu_heldout.py): held-out accuracy at least 0.90, every intent's F1 at least 0.75.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bot.paths import ROOT
from bot.tools.nlu_report import intent_table, per_intent, weakest
from bot.tools.stack import run_rasa, train

MIN_ACCURACY = 0.90
MIN_F1 = 0.75


def held_out(model: Path, out: Path, **env: str) -> Dict:
    """Rasa's intent report for tests/nlu/; also leaves Rasa's PNGs and errors in `out`."""
    result = run_rasa(
        "test", "nlu", "--model", str(model), "--nlu", "tests/nlu", "--domain", "domain.yml", "--out", str(out), **env
    )
    if result.returncode != 0:
        raise RuntimeError(f"rasa test nlu failed:\n{result.stderr[-3000:]}")
    return json.loads((out / "intent_report.json").read_text())


def cross_validation(out: Path, folds: int = 5) -> Dict:
    result = run_rasa(
        "test",
        "nlu",
        "--nlu",
        "data/nlu",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--cross-validation",
        "--folds",
        str(folds),
        "--out",
        str(out),
        timeout=3600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"cross-validation failed:\n{result.stderr[-3000:]}")
    return json.loads((out / "intent_report.json").read_text())


def gate_failures(report: Dict) -> List[str]:
    """What breaks the quality gate, in words a maintainer can act on."""
    problems = []
    if report["accuracy"] < MIN_ACCURACY:
        problems.append(f"held-out accuracy {report['accuracy']:.3f} is below {MIN_ACCURACY}")
    for name, row in sorted(per_intent(report).items()):
        if row["f1-score"] < MIN_F1:
            confused = ", ".join(f"{k} ({v})" for k, v in row.get("confused_with", {}).items())
            problems.append(
                f"intent '{name}' has F1 {row['f1-score']:.2f} < {MIN_F1} (confused with: {confused or 'nothing'})"
            )
    return problems


def worst_confusions(report: Dict, count: int = 10) -> List[Tuple[str, str, int]]:
    pairs: Counter = Counter()
    for name, row in per_intent(report).items():
        for other, times in row.get("confused_with", {}).items():
            pairs[(name, other)] += times
    return [(a, b, n) for (a, b), n in pairs.most_common(count)]


def _section(title: str, report: Dict) -> List[str]:
    lines = [
        f"## {title}",
        "",
        f"Accuracy **{report['accuracy']:.3f}** over {int(report['weighted avg']['support'])} messages; "
        f"macro F1 {report['macro avg']['f1-score']:.3f}, weighted F1 {report['weighted avg']['f1-score']:.3f}.",
        "",
        "Weakest: " + ", ".join(f"`{n}` {f:.2f}" for n, f in weakest(report)) + ".",
        "",
        "Worst confusions (true → predicted, times):",
        "",
    ]
    lines += [f"- `{a}` → `{b}`: {n}" for a, b, n in worst_confusions(report)] or ["- none"]
    return lines + ["", *intent_table(report), ""]


def render(held: Dict, folds: Optional[Dict], fold_count: int) -> str:
    failures = gate_failures(held)
    lines = [
        "# Harbour NLU report",
        "",
        "Written by `make evaluate` (bot/tools/evaluate.py). Gate: held-out accuracy ≥ "
        f"{MIN_ACCURACY}, every intent's held-out F1 ≥ {MIN_F1}: "
        + ("**passes**." if not failures else "**fails**: " + "; ".join(failures) + "."),
        "",
        "Pictures from the held-out test: `nlu_confusion_matrix.png`, `nlu_confidence_histogram.png`.",
        "",
    ]
    lines += _section("Held-out test (tests/nlu/, never trained on)", held)
    if folds is not None:
        lines += _section(f"{fold_count}-fold cross-validation (data/nlu/)", folds)
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "harbour.tar.gz")
    parser.add_argument("--folds", type=int, default=5, help="0 skips cross-validation")
    args = parser.parse_args(argv)
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = args.model if args.model.exists() else train(tmp, "evaluate")
        print("Held-out test on tests/nlu/ ...", flush=True)
        held = held_out(model, tmp / "held_out")
        for source, target in (
            ("intent_confusion_matrix.png", "nlu_confusion_matrix.png"),
            ("intent_histogram.png", "nlu_confidence_histogram.png"),
        ):
            if (tmp / "held_out" / source).exists():
                shutil.copy(tmp / "held_out" / source, reports / target)
        folds = None
        if args.folds:
            print(f"{args.folds}-fold cross-validation on data/nlu/ (trains {args.folds} times) ...", flush=True)
            folds = cross_validation(tmp / "folds", args.folds)
    (reports / "nlu.md").write_text(render(held, folds, args.folds))
    print(
        f"Held-out accuracy {held['accuracy']:.3f}"
        + (f"; cross-validation accuracy {folds['accuracy']:.3f}" if folds else "")
    )
    print("Wrote reports/nlu.md, reports/nlu_confusion_matrix.png, reports/nlu_confidence_histogram.png")
    failures = gate_failures(held)
    for failure in failures:
        print("GATE:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
