"""Validate the danger gate on the training data only: k folds, or one writer held out.

    python -m bot.tools.danger_folds                # 5 stratified folds
    python -m bot.tools.danger_folds --by-file      # each crisis data file held out in turn
    python -m bot.tools.danger_folds --by-file --parts   # and a message's parts scored alone

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


def settings_from_config(path: Path = Path("config.yml")) -> Dict[str, float]:
    """The thresholds the product uses: CrisisDetector's and the gate's, from config.yml
    over the components' defaults."""
    from bot.nlu.components import CrisisDetector
    from bot.nlu.danger_gate import DangerGate
    from bot.yamlio import load_yaml

    found = {**DangerGate.get_default_config(), **CrisisDetector.get_default_config()}
    for component in load_yaml(path).get("pipeline") or []:
        if component.get("name", "").endswith((".DangerGate", ".CrisisDetector")):
            found.update({k: v for k, v in component.items() if k != "name"})
    return found


def held_out_scores(
    examples: Sequence[Example],
    ids: np.ndarray,
    vectors: np.ndarray,
    parts_above: Optional[float] = None,
    **params,
) -> np.ndarray:
    """Each example's gate probability from the round that held it out. With `parts_above`,
    as the gate scores a message: its parts (cascade.message_ends) are scored alone too when
    the whole scores at least that, and the highest score counts. One difference: here every
    part is embedded, where the gate embeds a part only when its n-gram score reaches
    `encode_above`, so a part the gate reads by n-grams alone may score a little higher here."""
    from bot.nlu import cascade
    from bot.nlu.danger_model import DangerModel

    scores = np.full(len(examples), np.nan)
    texts = [e.text for e in examples]
    parts = [cascade.message_ends(t, cascade.LONG_MESSAGE) if parts_above is not None else [] for t in texts]
    unique = sorted({p for found in parts for p in found})
    part_vectors = embeddings(unique) if unique else None
    row = {text: i for i, text in enumerate(unique)}
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
        for i in test:
            if parts[i] and scores[i] >= parts_above:
                found = model.danger(model.text_features(parts[i]), part_vectors[[row[p] for p in parts[i]]])
                scores[i] = max(scores[i], float(np.max(found)))
    return scores


def report(
    examples: Sequence[Example],
    scores: np.ndarray,
    patterns: Sequence[Optional[str]],
    thresholds: Sequence[float] = (0.5, 0.15, 0.05),
) -> str:
    """Recall and near-miss alarms per category; `thresholds`: danger_at, possible_at and
    pattern_floor."""
    from bot.nlu.components import danger_tier

    lines = []
    tested = [i for i in range(len(examples)) if not np.isnan(scores[i])]
    tiers = {i: danger_tier(float(scores[i]), patterns[i], *thresholds) for i in tested}
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
    parser.add_argument("--parts", action="store_true", help="score a message's parts alone too, as the gate does")
    parser.add_argument("--possible-at", type=float, help="default: CrisisDetector's in config.yml")
    args = parser.parse_args(argv)
    config = settings_from_config()
    thresholds = (config["danger_at"], args.possible_at or config["possible_at"], config["pattern_floor"])
    print(f"thresholds (danger, possible, pattern floor): {thresholds}; parts scored alone: {args.parts}")
    examples = load()
    vectors = embeddings([e.text for e in examples])
    ids = fold_ids(examples, args.folds, args.by_file)
    scores = held_out_scores(
        examples,
        ids,
        vectors,
        parts_above=config["ends_above"] if args.parts else None,
        c=args.c,
        near_miss_weight=args.near_miss_weight,
        embedding_scale=args.embedding_scale,
    )
    patterns = pattern_kinds(e.text for e in examples)
    if args.by_file:
        for fold in sorted(set(ids) - {-1}):
            held = np.where(ids == fold)[0]
            print(f"## held out: {examples[held[0]].source}")
            masked = np.full(len(examples), np.nan)
            masked[held] = scores[held]
            print(report(examples, masked, patterns, thresholds))
    print("## all held-out examples")
    print(report(examples, scores, patterns, thresholds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
