"""What 1,000-character messages cost at each door, ordinary and crafted (issue 18, H1).

In process, in CPU time (so other work on the machine does not count), each the fastest
of several rounds on fresh variants (so no cache helps):
- the web app: cleaning and redaction, with and without breaking long runs of symbols
  (bot/long_runs.py), against a normal parent's 1,000-character message;
- Rasa's NLU: Harbour's channel preparation plus the parse of the trained model, on 30
  ordinary 1,000-character parent messages (held-out examples, a third ending in a crisis:
  bot/tools/costly_inputs.py) and on the crafted ones, and the same for stock Rasa
  (`rasa init`'s pipeline, bench/stock_config.yml, trained on the same data, NLU only, one
  epoch: a parse costs the same however long it trained) in the same run: p50 and p95 per message, the costliest crafted input, and ratios;
- with `--budgets 24,48,...`: the same NLU costs for each per-message budget of encoder
  tokens (HARBOUR_ENCODER_BUDGET, bot/nlu/encoder_budget.py), and what each costs in
  understanding long messages: the topic of 78 long held-out messages, and danger
  written last in 64 long messages against 64 ending in a near-miss (tests/crisis/).
Prints tables and writes reports/message_cost.json.

    .venv/bin/python bench/message_cost.py --model models/harbour.tar.gz [--budgets 24,48,96,128]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.lean_imports import thinc_without_tensorflow  # noqa: E402

thinc_without_tensorflow()

from bot.paths import ROOT  # noqa: E402
from bot.privacy.redact import redact  # noqa: E402
from bot.tools.costly_inputs import (  # noqa: E402
    NORMAL,
    cost_ms,
    costly_inputs,
    long_endings,
    long_topic_messages,
    nlu_costs,
    ordinary_messages,
    web_door,
)

STOCK_MODEL = ROOT / "models" / "stock-nlu.tar.gz"


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


def quantile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(ordinary: Dict[str, Dict], crafted: Dict[str, Dict]) -> Dict:
    """p50/p95 of the ordinary messages, the costliest crafted one, and its ratio to an
    ordinary message that consulted the encoder (the median of those)."""
    costs = [r["ms"] for r in ordinary.values()]
    encoded = [r["ms"] for r in ordinary.values() if r["tokens"]] or costs
    worst = max(crafted, key=lambda n: crafted[n]["ms"])
    return {
        "ordinary_p50_ms": round(quantile(costs, 0.5), 1),
        "ordinary_p95_ms": round(quantile(costs, 0.95), 1),
        "ordinary_max_ms": round(max(costs), 1),
        "ordinary_using_encoder": f"{sum(1 for r in ordinary.values() if r['tokens'])}/{len(ordinary)}",
        "ordinary_encoder_median_ms": round(statistics.median(encoded), 1),
        "crafted_worst": worst,
        "crafted_worst_ms": round(crafted[worst]["ms"], 1),
        "crafted_worst_x_ordinary_encoder_median": round(crafted[worst]["ms"] / statistics.median(encoded), 2),
        "crafted_worst_x_ordinary_p95": round(crafted[worst]["ms"] / quantile(costs, 0.95), 2),
        "max_encoder_tokens": max(r["tokens"] for r in [*ordinary.values(), *crafted.values()]),
    }


async def harbour_costs(model: Path, rounds: int) -> Dict:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    for _ in range(3):
        await agent.parse_message("my 14 year old sent a nude to a boy")
    ordinary = await nlu_costs(agent, ordinary_messages(), rounds)
    crafted = await nlu_costs(agent, {"normal message": NORMAL, **costly_inputs()}, rounds)
    normal = crafted.pop("normal message")
    return {"summary": summary(ordinary, crafted), "normal_message": normal, "ordinary": ordinary, "crafted": crafted}


def understanding(model: Path) -> Dict[str, float]:
    """Long messages only (the budget changes nothing for a short one that fits it)."""
    from bot.tools.blind import parse_all

    topics, endings = long_topic_messages(), long_endings()
    parses = parse_all(model, [*topics, *endings])
    caught = {
        kind: [parses[t].tier in ("danger", "possible") for t, k in endings.items() if k == kind]
        for kind in ("crisis", "near_miss")
    }
    return {
        "long_topic_accuracy": round(sum(parses[t].acted_topic(topic) == topic for t, topic in topics.items()) / len(topics), 3),
        "long_crisis_recall": round(sum(caught["crisis"]) / len(caught["crisis"]), 3),
        "long_near_miss_false_alarms": round(sum(caught["near_miss"]) / len(caught["near_miss"]), 3),
    }  # fmt: skip


def stock_model(path: Path) -> Path:
    """Stock Rasa's NLU (bench/stock_config.yml) trained on Harbour's data, kept in models/.
    For one epoch: what a parse costs doesn't depend on how long DIET trained (the same
    layers run), and its 100 epochs take over an hour on this 2-core machine."""
    data = ROOT / "data" / "nlu"
    newest = max(p.stat().st_mtime for p in [*data.rglob("*.yml"), ROOT / "bench" / "stock_config.yml"])
    if path.exists() and path.stat().st_mtime >= newest:
        return path
    import tempfile

    import yaml

    from bot.tools.stack import run_rasa

    config = yaml.safe_load((ROOT / "bench" / "stock_config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if "epochs" in component:
            component["epochs"] = 1
    print("Training stock Rasa's NLU for the comparison (once; a few minutes) ...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        one_epoch = Path(tmp) / "stock_config.yml"
        one_epoch.write_text(yaml.safe_dump(config), encoding="utf-8")
        result = run_rasa(
            "train", "nlu", "--config", str(one_epoch), "--nlu", "data/nlu", "--out", str(path.parent),
            "--fixed-model-name", path.name.removesuffix(".tar.gz"), timeout=3600, HARBOUR_STOCK_RASA="1",
        )  # fmt: skip
    if result.returncode != 0 or not path.exists():
        raise RuntimeError(f"training stock Rasa failed:\n{result.stderr[-3000:]}")
    return path


async def stock_costs(model: Path, rounds: int) -> Dict:
    """Stock Rasa parses the text as it arrives: its REST channel changes nothing."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    for _ in range(3):
        await agent.parse_message("my 14 year old sent a nude to a boy")
    ordinary = await nlu_costs(agent, ordinary_messages(), rounds, door=lambda text: text)
    crafted = await nlu_costs(agent, costly_inputs(), rounds, door=lambda text: text)
    return {"summary": summary(ordinary, crafted), "ordinary": ordinary, "crafted": crafted}


def in_subprocess(flag: str, model: Path, rounds: int, env: Optional[Dict[str, str]] = None) -> Dict:
    """One measurement in a fresh process, so neither TensorFlow (stock) nor another budget's
    caches touch the next."""
    out = subprocess.run(
        [sys.executable, __file__, flag, "--model", str(model), "--rounds", str(rounds)],
        capture_output=True, text=True, cwd=ROOT, timeout=3600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **(env or {})},
    )  # fmt: skip
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{flag} failed:\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


def ratios(harbour: Dict, stock: Dict) -> Dict[str, float]:
    h, s = harbour["summary"], stock["summary"]
    return {
        key: round(h[key] / s[key], 2)
        for key in ("ordinary_p50_ms", "ordinary_p95_ms", "ordinary_max_ms", "crafted_worst_ms")
        if s.get(key)
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/harbour.tar.gz")
    parser.add_argument("--stock-model", default=str(STOCK_MODEL))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budgets", default="", help="comma-separated encoder budgets to compare (tokens)")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Rasa (no ratios)")
    parser.add_argument("--harbour-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stock-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--understanding-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    model = Path(args.model)
    if args.harbour_only or args.stock_only or args.understanding_only:
        if args.understanding_only:
            result = understanding(model)
        else:
            result = asyncio.run((harbour_costs if args.harbour_only else stock_costs)(model, args.rounds))
        print(json.dumps(result))
        return 0

    result: Dict = web_costs(max(args.rounds, 3))
    for door in ("web_without_run_breaking", "web"):
        rows = result[door]
        result[door]["worst"] = max((r for n, r in rows.items() if n != "normal message"), key=lambda r: r["ms"])
    budget = os.environ.get("HARBOUR_ENCODER_BUDGET") or "the default"
    print(f"Rasa NLU, Harbour (encoder budget: {budget}) ...", flush=True)
    result["rasa"] = in_subprocess("--harbour-only", model, args.rounds)
    if not args.no_stock:
        print("Rasa NLU, stock Rasa ...", flush=True)
        result["stock"] = in_subprocess("--stock-only", stock_model(Path(args.stock_model)), args.rounds)
        result["harbour_over_stock"] = ratios(result["rasa"], result["stock"])
    if args.budgets:
        result["budgets"] = {}
        for tokens in [int(b) for b in args.budgets.split(",") if b.strip()]:
            print(f"Encoder budget {tokens} tokens ...", flush=True)
            env = {"HARBOUR_ENCODER_BUDGET": str(tokens)}
            costs = in_subprocess("--harbour-only", model, args.rounds, env)["summary"]
            result["budgets"][tokens] = {**costs, **in_subprocess("--understanding-only", model, args.rounds, env)}

    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "message_cost.json").write_text(json.dumps(result, indent=2) + "\n")
    for door in ("web_without_run_breaking", "web"):
        print(f"{door}:")
        for name, row in result[door].items():
            print(f"  {name:28s} {row['ms']:9.2f} ms  {row['x_normal']:6.1f} x normal")
    print("\nRasa NLU, 1,000-character messages (CPU ms per message):")
    sides = [("harbour", result["rasa"]["summary"])] + (
        [("stock", result["stock"]["summary"])] if "stock" in result else []
    )
    for key in result["rasa"]["summary"]:
        print(f"  {key:42s} " + "  ".join(f"{name} {str(s.get(key)):>18s}" for name, s in sides))
    if "harbour_over_stock" in result:
        print("  harbour / stock: " + ", ".join(f"{k} {v}" for k, v in result["harbour_over_stock"].items()))
    if args.budgets:
        keys = ["ordinary_p50_ms", "ordinary_p95_ms", "crafted_worst_ms", "crafted_worst_x_ordinary_encoder_median",
                "long_topic_accuracy", "long_crisis_recall", "long_near_miss_false_alarms"]  # fmt: skip
        print("\nBy encoder budget (tokens per message):")
        print("  " + " ".join(f"{k[:14]:>14s}" for k in ["budget", *keys]))
        for tokens, row in result["budgets"].items():
            print("  " + " ".join(f"{str(v):>14s}" for v in [tokens, *(row[k] for k in keys)]))
    print("\nWrote reports/message_cost.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
