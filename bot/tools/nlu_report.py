"""Turns Rasa's intent_report.json into the Markdown report a maintainer reads."""

from __future__ import annotations

from typing import Dict, List, Tuple

SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def per_intent(report: Dict) -> Dict[str, Dict]:
    return {k: v for k, v in report.items() if k not in SUMMARY_KEYS and isinstance(v, dict)}


def weakest(report: Dict, count: int = 5) -> List[Tuple[str, float]]:
    rows = sorted(per_intent(report).items(), key=lambda kv: (kv[1]["f1-score"], kv[0]))
    return [(name, row["f1-score"]) for name, row in rows[:count]]


def render(report: Dict, title: str) -> str:
    lines = [
        f"# {title}",
        "",
        f"Accuracy: **{report['accuracy']:.3f}** over {int(report['weighted avg']['support'])} "
        f"messages; weighted F1 {report['weighted avg']['f1-score']:.3f}.",
        "",
        "Weakest intents: " + ", ".join(f"`{n}` {f:.2f}" for n, f in weakest(report)) + ".",
        "",
        *intent_table(report),
    ]
    return "\n".join(lines) + "\n"


def intent_table(report: Dict) -> List[str]:
    """Per-intent precision, recall, F1, support and what each was confused with."""
    lines = ["| intent | precision | recall | F1 | support | confused with |", "|---|---|---|---|---|---|"]
    for name, row in sorted(per_intent(report).items()):
        confused = ", ".join(f"{k} ({v})" for k, v in row.get("confused_with", {}).items())
        lines.append(
            f"| `{name}` | {row['precision']:.2f} | {row['recall']:.2f} | {row['f1-score']:.2f} "
            f"| {int(row['support'])} | {confused} |"
        )
    return lines
