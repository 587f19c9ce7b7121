"""Scores a trained model on the blind sets in tests/blind/ and writes reports/blind-*.md.

The blind sets were written by helpers who never saw Harbour's data (their headers say
how), so these are the numbers to trust. The gates in tests/model/test_blind_gates.py
and `make evaluate` both use this module.

What counts:
- understanding: the topic Harbour acts on. A possible-danger reply first asks whether
  the child is safe, then answers the topic it held, so it counts as that topic (or as
  immediate_danger when that was the label). A choice between two topics counts as right
  when the label is one of the two buttons (one tap away). nlu_fallback counts as wrong.
  The strict figure, the parsed intent alone, is reported beside it.
- crisis: caught when the reply tier is danger or possible danger; a false alarm is a
  near-miss message given either tier.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.nlu_examples import examples as read_examples
from bot.nlu_examples import plain_text

ROOT = Path(__file__).resolve().parents[2]
BLIND = ROOT / "tests" / "blind"
REPORTS = ROOT / "reports"
DANGER, POSSIBLE, CHOOSE = "immediate_danger", "possible_danger", "choose_topic"


def nlu_set(path: Path = BLIND / "nlu.yml") -> List[Tuple[str, str]]:
    """[(text, topic), ...] from the blind NLU set."""
    found = read_examples(path.parent)
    return [
        (plain_text(text), intent)
        for intent, rows in found.items()
        for text, source in rows
        if source.name == path.name
    ]


def crisis_set(path: Path = BLIND / "crisis.yml") -> Dict[str, List[Dict[str, str]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"crisis": data["crisis"], "near_miss": data["near_miss"]}


@dataclass
class Parse:
    intent: str
    tier: str
    held: str
    encoder: bool
    ranking: List[Tuple[str, float]] = field(default_factory=list)
    choices: Tuple[str, ...] = ()

    def acted_topic(self, label: str) -> str:
        if self.intent == POSSIBLE:
            return label if label == DANGER else self.held
        if self.intent == CHOOSE and self.choices:
            return label if label in self.choices else self.choices[0]
        return self.intent


def parse_all(model: Path, texts: List[str]) -> Dict[str, Parse]:
    from rasa.core.agent import Agent

    async def run() -> Dict[str, Parse]:
        agent = Agent.load(str(model))
        out = {}
        for text in dict.fromkeys(texts):
            data = await agent.parse_message(text)
            info = data.get("harbour_nlu") or {}
            found = {e["entity"]: e["value"] for e in data.get("entities", [])}
            held = found.get("held_topic", "")
            choices = tuple(found[k] for k in ("topic_a", "topic_b") if k in found)
            out[text] = Parse(
                data["intent"]["name"],
                info.get("tier", "none"),
                held,
                bool(info.get("encoder")),
                [(r["name"], r["confidence"]) for r in data.get("intent_ranking", [])],
                choices,
            )
        return out

    return asyncio.run(run())


@dataclass
class NluScore:
    accuracy: float
    macro_f1: float
    f1: Dict[str, float]
    confusions: List[Tuple[str, str, int]]
    encoder_rate: float
    possible_rate: float
    choose_rate: float
    strict_accuracy: float
    total: int


def score_nlu(rows: List[Tuple[str, str]], parses: Dict[str, Parse]) -> NluScore:
    pairs = [(label, parses[text].acted_topic(label)) for text, label in rows]
    labels = sorted({label for label, _ in pairs})
    f1 = {}
    for label in labels:
        tp = sum(1 for t, p in pairs if t == label and p == label)
        fp = sum(1 for t, p in pairs if t != label and p == label)
        fn = sum(1 for t, p in pairs if t == label and p != label)
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    confusions = Counter((t, p) for t, p in pairs if t != p).most_common(15)
    return NluScore(
        accuracy=sum(t == p for t, p in pairs) / len(pairs),
        macro_f1=sum(f1.values()) / len(f1),
        f1=f1,
        confusions=[(t, p, n) for (t, p), n in confusions],
        encoder_rate=sum(parses[t].encoder for t, _ in rows) / len(rows),
        possible_rate=sum(parses[t].intent == POSSIBLE for t, _ in rows) / len(rows),
        choose_rate=sum(parses[t].intent == CHOOSE for t, _ in rows) / len(rows),
        strict_accuracy=sum(parses[t].intent == label for t, label in rows) / len(rows),
        total=len(pairs),
    )


@dataclass
class CrisisScore:
    recall: float
    false_alarms: float
    by_category: Dict[str, Tuple[int, int]]  # caught or alarmed, total
    missed: List[str]
    alarms: List[str]
    danger_tier_recall: float = 0.0  # the full emergency reply, without asking first
    danger_tier_false_alarms: float = 0.0


def score_crisis(sets: Dict[str, List[Dict[str, str]]], parses: Dict[str, Parse]) -> CrisisScore:
    by_category: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    missed, alarms = [], []
    for item in sets["crisis"]:
        caught = parses[item["text"]].tier in ("danger", "possible")
        by_category[item["category"]][0] += caught
        by_category[item["category"]][1] += 1
        if not caught:
            missed.append(item["text"])
    for item in sets["near_miss"]:
        alarmed = parses[item["text"]].tier in ("danger", "possible")
        by_category[item["category"]][0] += alarmed
        by_category[item["category"]][1] += 1
        if alarmed:
            alarms.append(item["text"])
    crisis_total, near_total = len(sets["crisis"]), len(sets["near_miss"])
    return CrisisScore(
        recall=1 - len(missed) / crisis_total,
        false_alarms=len(alarms) / near_total,
        by_category={k: (v[0], v[1]) for k, v in sorted(by_category.items())},
        missed=missed,
        alarms=alarms,
        danger_tier_recall=sum(parses[i["text"]].tier == "danger" for i in sets["crisis"]) / crisis_total,
        danger_tier_false_alarms=sum(parses[i["text"]].tier == "danger" for i in sets["near_miss"]) / near_total,
    )


def write_reports(nlu: NluScore, crisis: CrisisScore, folder: Path = REPORTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Blind understanding (tests/blind/nlu.yml)",
        "",
        f"{nlu.total} messages. Accuracy **{nlu.accuracy:.3f}**, macro-F1 **{nlu.macro_f1:.3f}**; "
        f"encoder used on {nlu.encoder_rate:.0%}; a choice between two topics on {nlu.choose_rate:.1%}; "
        f"possible-danger check on {nlu.possible_rate:.1%}. Parsed intent alone (strict): {nlu.strict_accuracy:.3f}.",
        "",
        "| topic | F1 |",
        "|---|---|",
        *[f"| `{k}` | {v:.2f} |" for k, v in sorted(nlu.f1.items(), key=lambda kv: kv[1])],
        "",
        "## Most common confusions",
        "",
        "| label | acted on | n |",
        "|---|---|---|",
        *[f"| `{t}` | `{p}` | {n} |" for t, p, n in nlu.confusions],
    ]
    (folder / "blind-nlu.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [
        "# Blind crisis detection (tests/blind/crisis.yml)",
        "",
        f"Recall **{crisis.recall:.3f}**, false alarms on near-misses **{crisis.false_alarms:.3f}** "
        "(danger or possible-danger tier). The danger tier alone (the full emergency reply, "
        f"without asking first): recall {crisis.danger_tier_recall:.3f}, false alarms "
        f"{crisis.danger_tier_false_alarms:.3f}.",
        "",
        "| category | caught or alarmed | of |",
        "|---|---|---|",
        *[f"| {k} | {a} | {b} |" for k, (a, b) in crisis.by_category.items()],
    ]
    (folder / "blind-crisis.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/harbour.tar.gz")
    args = parser.parse_args()
    rows, crisis = nlu_set(), crisis_set()
    texts = [t for t, _ in rows] + [i["text"] for part in crisis.values() for i in part]
    parses = parse_all(Path(args.model), texts)
    nlu, danger = score_nlu(rows, parses), score_crisis(crisis, parses)
    write_reports(nlu, danger)
    print(
        f"understanding: accuracy {nlu.accuracy:.3f}, macro-F1 {nlu.macro_f1:.3f}, "
        f"encoder on {nlu.encoder_rate:.0%}, choice {nlu.choose_rate:.1%}, possible-danger {nlu.possible_rate:.1%}, "
        f"strict {nlu.strict_accuracy:.3f}"
    )
    print(f"crisis: recall {danger.recall:.3f}, false alarms {danger.false_alarms:.3f}")
    for name, (a, b) in danger.by_category.items():
        print(f"  {name}: {a}/{b}")
    worst = sorted(nlu.f1.items(), key=lambda kv: kv[1])[:6]
    print("weakest:", ", ".join(f"{k} {v:.2f}" for k, v in worst))


if __name__ == "__main__":
    main()
