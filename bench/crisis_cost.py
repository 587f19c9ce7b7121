"""What the crisis layer costs per message, in process: Harbour's model with and without it.

"Without" skips the danger gate (bot/nlu/danger_gate.py) and the crisis tiers
(bot/nlu/components.py CrisisDetector), and stops the classifier from calling the encoder
just because it saw a hint of danger or a danger pattern (bot/nlu/cascade.needs_encoder's
danger_above, bot/nlu/crisis.assess). Both runs
parse the same held-out parent messages, interleaved, after a warm-up. Issue 13's budget:
at most 5 ms added to p95.

    .venv/bin/python bench/crisis_cost.py --model models/harbour.tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.lean_imports import thinc_without_tensorflow  # noqa: E402

thinc_without_tensorflow()

from bot.nlu import cascade, classifier  # noqa: E402
from bot.nlu.components import CrisisDetector  # noqa: E402
from bot.nlu.crisis import Verdict  # noqa: E402
from bot.nlu.danger_gate import DangerGate  # noqa: E402
from bot.nlu_examples import examples, plain_text  # noqa: E402
from bot.paths import ROOT  # noqa: E402


def quantile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def timings(model: Path, texts: List[str], rounds: int) -> Dict[str, List[float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    original_process = CrisisDetector.process
    original_needs = cascade.needs_encoder
    original_assess = classifier.assess
    original_gate = DangerGate.process

    def without_layer(on: bool) -> None:
        CrisisDetector.process = original_process if on else (lambda self, messages: messages)
        cascade.needs_encoder = (
            original_needs if on else (lambda row, classes, unsure, danger: original_needs(row, classes, unsure, 2.0))
        )
        classifier.assess = original_assess if on else (lambda text: Verdict(False, "off"))
        DangerGate.process = original_gate if on else (lambda self, messages: messages)

    for text in texts[:50]:  # warm-up
        await agent.parse_message(text)
    found: Dict[str, List[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        for text in texts:
            for label, on in (("with", True), ("without", False)):
                without_layer(on)
                started = time.perf_counter()
                await agent.parse_message(text)
                found[label].append((time.perf_counter() - started) * 1000)
    without_layer(True)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/harbour.tar.gz")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    texts = [plain_text(t) for rows in examples(ROOT / "tests" / "nlu").values() for t, _ in rows]
    found = asyncio.run(timings(Path(args.model), texts, args.rounds))
    result = {
        label: {"p50_ms": round(quantile(v, 0.5), 2), "p95_ms": round(quantile(v, 0.95), 2)}
        for label, v in found.items()
    }
    result["added_p95_ms"] = round(result["with"]["p95_ms"] - result["without"]["p95_ms"], 2)
    result["messages"] = len(texts)
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "crisis_cost.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
