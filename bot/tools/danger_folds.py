"""Validate the danger gate on the training data only: k folds, or one writer held out.

    python -m bot.tools.danger_folds                # 5 stratified folds
    python -m bot.tools.danger_folds --by-file      # each crisis data file held out in turn

Holding out a whole file is the closer guess at a blind set: each crisis file in
data/nlu/ was written by a different hand, so the gate is tested on a voice it has not
trained on. Scores the gate with the patterns as `CrisisDetector` combines them
(`danger_tier`), without the intent classifier's "sure of another topic" rule, so it is a
comparison between gate settings, not the product's final figure (that is the blind set's).
Never reads tests/blind/.
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np

DATA = Path("data/nlu")
DANGER_INTENT = "immediate_danger"


@dataclass(frozen=True)
class Example:
    text: str
    danger: bool
    near_miss: Optional[str]
    category: Optional[str]
    source: str


def load(data: Path = DATA) -> List[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.nlu.classifier import danger_category
    from bot.nlu.danger_gate import near_miss_kind

    examples = []
    for path in sorted(data.glob("*.yml")):
        for message in load_data(str(path)).intent_examples:
            examples.append(
                Example(
                    message.get("text"),
                    message.get("intent") == DANGER_INTENT,
                    near_miss_kind(message),
                    danger_category(message),
                    path.stem,
                )
            )
    return examples


def embeddings(texts: Sequence[str]) -> np.ndarray:
    from bot.nlu.encoder import Encoder, default_cache

    return default_cache().embed(texts, Encoder(threads=os.cpu_count() or 1))


def pattern_kinds(texts: Iterable[str]) -> List[Optional[str]]:
    from bot.nlu.crisis import assess

    kinds = []
    for text in texts:
        verdict = assess(text)
        kinds.append("acute" if verdict.acute else ("pattern" if verdict.crisis else None))
    return kinds


def fold_ids(examples: Sequence[Example], folds: int, by_file: bool, seed: int = 7) -> np.ndarray:
    """A fold number per example; -1 keeps it in training in every round."""
    if by_file:
        crisis_files = sorted({e.source for e in examples if e.danger} & {e.source for e in examples if e.near_miss})
        return np.array([crisis_files.index(e.source) if e.source in crisis_files else -1 for e in examples])
    rng = np.random.default_rng(seed)
    ids = np.empty(len(examples), dtype=int)
    for label in (True, False):
        where = np.array([i for i, e in enumerate(examples) if e.danger == label])
        rng.shuffle(where)
        ids[where] = np.arange(len(where)) % folds
    return ids


def held_out_scores(examples: Sequence[Example], ids: np.ndarray, vectors: np.ndarray, **params) -> np.ndarray:
    from bot.nlu.danger_model import DangerModel

    scores = np.full(len(examples), np.nan)
    texts = [e.text for e in examples]
    for fold in sorted(set(ids) - {-1}):
        train = np.where(ids != fold)[0]
        test = np.where(ids == fold)[0]
        model = DangerModel.fit(
            [texts[i] for i in train],
            [examples[i].danger for i in train],
            [bool(examples[i].near_miss) for i in train],
            vectors[train],
            [examples[i].category for i in train],
            **params,
        )
        features = model.text_features([texts[i] for i in test])
        scores[test] = model.danger(features, vectors[test])
    return scores


def report(examples: Sequence[Example], scores: np.ndarray, patterns: Sequence[Optional[str]]) -> str:
    from bot.nlu.components import danger_tier

    lines = []
    tested = [i for i in range(len(examples)) if not np.isnan(scores[i])]
    tiers = {i: danger_tier(float(scores[i]), patterns[i], 0.5, 0.15, 0.05) for i in tested}
    danger = [i for i in tested if examples[i].danger]
    near = [i for i in tested if examples[i].near_miss]
    other = [i for i in tested if not examples[i].danger and not examples[i].near_miss]

    def rate(group: List[int], alarmed=lambda t: t != "none") -> str:
        hits = sum(alarmed(tiers[i]) for i in group)
        return f"{hits / max(len(group), 1):.3f} ({hits}/{len(group)})"

    lines.append(f"recall (danger or possible): {rate(danger)}")
    lines.append(f"recall (danger tier):        {rate(danger, lambda t: t == 'danger')}")
    lines.append(f"near-miss alarms:            {rate(near)}")
    lines.append(f"other alarms:                {rate(other)}")
    by_kind: Dict[str, List[int]] = defaultdict(list)
    for i in danger:
        by_kind[examples[i].category or "?"].append(i)
    for i in near:
        by_kind[examples[i].near_miss].append(i)
    for kind in sorted(by_kind):
        lines.append(f"  {kind:26} {rate(by_kind[kind])}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--by-file", action="store_true", help="hold out each crisis data file in turn")
    parser.add_argument("--c", type=float, default=8.0)
    parser.add_argument("--near-miss-weight", type=float, default=6.0)
    parser.add_argument("--embedding-scale", type=float, default=2.0)
    args = parser.parse_args(argv)
    examples = load()
    vectors = embeddings([e.text for e in examples])
    ids = fold_ids(examples, args.folds, args.by_file)
    scores = held_out_scores(
        examples, ids, vectors, c=args.c, near_miss_weight=args.near_miss_weight, embedding_scale=args.embedding_scale
    )
    patterns = pattern_kinds(e.text for e in examples)
    if args.by_file:
        for fold in sorted(set(ids) - {-1}):
            held = np.where(ids == fold)[0]
            print(f"## held out: {examples[held[0]].source}")
            masked = np.full(len(examples), np.nan)
            masked[held] = scores[held]
            print(report(examples, masked, patterns))
    print("## all held-out examples")
    print(report(examples, scores, patterns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
