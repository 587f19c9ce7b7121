"""What the costliest 1,000-character messages cost at each door, against a normal one (issue 18, H1).

In process, in CPU time (so other work on the machine does not count), each the fastest
of several rounds on fresh variants (so spaCy's cache never
helps): the web app's cleaning and redaction with and without breaking long runs of
symbols (bot/long_runs.py), and Rasa's channel preparation plus the NLU parse of the
trained model. Prints milliseconds and the ratio to a normal parent's 1,000-character
message, and writes reports/message_cost.json.

    .venv/bin/python bench/message_cost.py --model models/harbour.tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.lean_imports import thinc_without_tensorflow  # noqa: E402

thinc_without_tensorflow()

from bot.paths import ROOT  # noqa: E402
from bot.privacy.redact import redact  # noqa: E402
from bot.tools.costly_inputs import NORMAL, cost_ms, costly_inputs, rasa_door_text, web_door  # noqa: E402


def table(costs: Dict[str, float]) -> Dict[str, Dict[str, float]]:
    normal = costs["normal message"]
    return {name: {"ms": round(ms, 2), "x_normal": round(ms / normal, 1)} for name, ms in costs.items()}


def web_costs(rounds: int) -> Dict[str, Dict[str, Dict[str, float]]]:
    inputs = {"normal message": NORMAL, **costly_inputs()}
    web_door("warm up")
    return {
        # Before issue 18: the same cleaning with no run-breaking (redaction straight on the text).
        "web_without_run_breaking": table({n: cost_ms(redact, t, rounds) for n, t in inputs.items()}),
        "web": table({n: cost_ms(web_door, t, rounds) for n, t in inputs.items()}),
    }


async def rasa_costs(model: Path, rounds: int) -> Dict[str, Dict[str, float]]:
    import time

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    for _ in range(3):
        await agent.parse_message("my 14 year old sent a nude to a boy")
    costs = {}
    for name, text in {"normal message": NORMAL, **costly_inputs()}.items():
        best = float("inf")
        for i in range(rounds):
            variant = text[:-2] + "~" + "xyzuvw"[i % 6]
            started = time.process_time()
            await agent.parse_message(rasa_door_text(variant))
            best = min(best, (time.process_time() - started) * 1000)
        costs[name] = best
    return table(costs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/harbour.tar.gz")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    result = web_costs(max(args.rounds, 3))
    result["rasa"] = asyncio.run(rasa_costs(Path(args.model), args.rounds))
    for door, rows in result.items():
        worst = max((r for n, r in rows.items() if n != "normal message"), key=lambda r: r["ms"])
        result[door]["worst"] = worst
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "message_cost.json").write_text(json.dumps(result, indent=2) + "\n")
    for door, rows in result.items():
        print(f"{door}:")
        for name, row in rows.items():
            print(f"  {name:24s} {row['ms']:9.2f} ms  {row['x_normal']:6.1f} x normal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
