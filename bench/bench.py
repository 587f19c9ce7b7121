"""`make bench`: Harbour against stock Rasa, on the same machine, in the same run.

Stock Rasa is the configuration `rasa init` trains with (bench/stock_config.yml), run
with the plain `rasa` command, Rasa's own REST channel and Rasa's own SQL tracker store
(bench/). Both bots are trained on Harbour's own data and domain, and both run behind
the same action server, SQLite file and web app (scripts/run.sh), so the differences
are Harbour's choices alone.

For each system it measures:
- training time from a cold cache;
- start time: scripts/run.sh started -> first answer on Rasa's REST channel;
- resident memory of each process after the load;
- closed-loop load at 1, 10 and 50 concurrent sessions with held-out parent messages
  (tests/nlu/), through the widget's /api/chat and directly on Rasa's REST channel:
  throughput, p50, p95, p99 and errors;
- held-out intent accuracy.

Prints a table with Harbour/stock ratios and the README's targets, and writes
reports/bench.json and reports/bench.png.

    .venv/bin/python bench/bench.py [--seconds 20] [--levels 1,10,50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlu_examples import examples, plain_text  # noqa: E402
from bot.paths import ROOT  # noqa: E402
from bot.rasa.channel_secret import secret_headers  # noqa: E402
from bot.tools.evaluate import held_out  # noqa: E402
from bot.tools.stack import running_harbour, train  # noqa: E402

SYSTEMS = {
    "harbour": {"config": "config.yml", "env": {}},
    "stock": {
        "config": "bench/stock_config.yml",
        "env": {
            "HARBOUR_STOCK_RASA": "1",
            "HARBOUR_CREDENTIALS": "bench/stock_credentials.yml",
            "HARBOUR_ENDPOINTS": "bench/stock_endpoints.yml",
        },
    },
}
# (measure, better when, target ratio harbour/stock), as in the README's table. Since the
# sentence encoder (docs/encoder.md) the budget is issue 14's: throughput >= 4x stock,
# p95 at 10 sessions <= 0.25 of stock, memory <= 0.6, training <= 1/3.
TARGETS = [
    ("throughput_api_max", "higher", 4.0),
    ("p95_ms_api_10", "lower", 0.25),
    ("start_seconds", "lower", 1 / 3),
    ("memory_mb", "lower", 0.6),
    ("training_seconds", "lower", 1 / 3),
    ("held_out_accuracy", "higher", 1.0),
]
SESSION_LENGTH = 8  # messages before a simulated parent starts a new conversation


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def parent_messages() -> List[str]:
    return [plain_text(text) for items in examples(ROOT / "tests" / "nlu").values() for text, _ in items]


async def new_session(http: aiohttp.ClientSession, url: str, kind: str) -> str:
    """A random sender for Rasa; for /api/chat a signed session from /api/session, as the chat page gets one."""
    if kind != "api":
        return str(uuid.uuid4())
    async with http.post(url.replace("/api/chat", "/api/session")) as reply:
        return (await reply.json())["session"]


async def closed_loop(
    url: str, kind: str, sessions: int, seconds: float, texts: List[str], headers: Optional[Dict[str, str]] = None
) -> Dict:
    latencies: List[float] = []
    errors: Dict[str, int] = {}
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=sessions + 5)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as http:

        async def parent(number: int) -> None:
            rng = random.Random(number)
            sent, session = 0, await new_session(http, url, kind)
            while time.monotonic() < deadline:
                if sent and sent % SESSION_LENGTH == 0:
                    session = await new_session(http, url, kind)
                text = rng.choice(texts)
                body = (
                    {"session": session, "message": text, "school": "st-marys"}
                    if kind == "api"
                    else {"sender": session, "message": text}
                )
                begin = time.perf_counter()
                try:
                    async with http.post(url, json=body, headers=headers) as reply:
                        payload = await reply.read()
                        status = reply.status if payload else "empty"
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    status = type(error).__name__
                if status == 200:
                    latencies.append(time.perf_counter() - begin)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                sent += 1

        started = time.monotonic()
        await asyncio.gather(*(parent(n) for n in range(sessions)))
        elapsed = time.monotonic() - started
    latencies.sort()

    def quantile(q: float):
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else None

    return {
        "sessions": sessions,
        "answered": len(latencies),
        "errors": errors,
        "throughput_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": quantile(0.50),
        "p95_ms": quantile(0.95),
        "p99_ms": quantile(0.99),
    }


def process_memory(root_pid: int) -> Dict[str, float]:
    names = {
        "rasa_sdk": "action_server",
        "bot.web": "web_app",
        "bot.privacy.retention": "purge_job",
        " run ": "rasa_server",
    }
    found: Dict[str, float] = {}
    for process in psutil.Process(root_pid).children(recursive=True):
        command = " ".join(process.cmdline())
        for needle, name in names.items():
            if needle in f" {command} ":
                found[name] = round(process.memory_info().rss / 2**20, 1)
                break
    return found


def measure(name: str, tmp: Path, levels: List[int], seconds: float, texts: List[str]) -> Dict:
    system = SYSTEMS[name]
    result: Dict = {}
    say(f"{name}: training from a cold cache ({system['config']}) ...")
    started = time.monotonic()
    stock_env = {"HARBOUR_STOCK_RASA": "1"} if name == "stock" else {}
    # Both caches cold: Rasa's, and Harbour's embeddings of the training examples.
    # Stock Rasa's DIET and TED take about half an hour on Harbour's broadened data here.
    model = train(
        tmp / name,
        name,
        config=system["config"],
        timeout=3600,
        RASA_CACHE_DIRECTORY=str(tmp / name / "cache"),
        HARBOUR_CACHE_DIR=str(tmp / name / "embeddings"),
        **stock_env,
    )
    result["training_seconds"] = round(time.monotonic() - started, 1)
    say(f"{name}: trained in {result['training_seconds']} s; held-out accuracy ...")
    result["held_out_accuracy"] = round(held_out(model, tmp / name / "nlu", **stock_env)["accuracy"], 3)
    say(f"{name}: accuracy {result['held_out_accuracy']}; starting the stack ...")
    with running_harbour(model, tmp / name, rate_limits=False, **system["env"]) as stack:
        result["start_seconds"] = round(stack.started_in, 1)
        say(f"{name}: answered {result['start_seconds']} s after start")
        result["load"] = {}
        for kind, url in (("api", f"{stack.web_url}/api/chat"), ("rest", f"{stack.url}/webhooks/rest/webhook")):
            for sessions in levels:
                say(f"{name}: {sessions} session(s) via {kind} for {seconds:g} s ...")
                # Rasa's REST channel answers only with the web app's secret (stock Rasa ignores it).
                headers = secret_headers(stack.channel_secret) if kind == "rest" else None
                run = asyncio.run(closed_loop(url, kind, sessions, seconds, texts, headers))
                result["load"][f"{kind}_{sessions}"] = run
                say(f"{name}:   {run['throughput_per_s']} msg/s, p95 {run['p95_ms']} ms, errors {run['errors'] or 0}")
        result["memory_by_process_mb"] = process_memory(stack.process.pid)
    result["memory_mb"] = round(sum(result["memory_by_process_mb"].values()), 1)
    for kind in ("api", "rest"):
        result[f"throughput_{kind}_max"] = max(
            r["throughput_per_s"] for k, r in result["load"].items() if k.startswith(kind)
        )
    if "api_10" in result["load"]:
        result["p95_ms_api_10"] = result["load"]["api_10"]["p95_ms"]
        result["p95_ms_rest_10"] = result["load"]["rest_10"]["p95_ms"]
    return result


def ratios(harbour: Dict, stock: Dict) -> List[Dict]:
    rows = []
    for key, better, target in TARGETS:
        if harbour.get(key) is None or not stock.get(key):
            continue
        ratio = harbour[key] / stock[key]
        met = ratio >= target if better == "higher" else ratio <= target
        rows.append(
            {
                "measure": key,
                "harbour": harbour[key],
                "stock": stock[key],
                "ratio": round(ratio, 3),
                "target": f"{'≥' if better == 'higher' else '≤'} {target:.2f}",
                "met": met,
            }
        )
    return rows


def table(results: Dict) -> str:
    h, s = results["harbour"], results["stock"]
    lines = [f"{'measure':28} {'harbour':>10} {'stock':>10} {'ratio':>8}  target", "-" * 70]
    for row in results["ratios"]:
        lines.append(
            f"{row['measure']:28} {row['harbour']:>10} {row['stock']:>10} {row['ratio']:>8}  "
            f"{row['target']} {'met' if row['met'] else 'MISSED'}"
        )
    lines.append("")
    lines.append(f"{'load (msg/s | p50 / p95 / p99 ms | errors)':44} {'harbour':>34}   stock")

    def fmt(r: Dict) -> str:
        return (
            f"{r.get('throughput_per_s')} | {r.get('p50_ms')}/{r.get('p95_ms')}/{r.get('p99_ms')} | "
            f"{sum(r.get('errors', {}).values())}"
        )

    for key in h["load"]:
        a, b = h["load"][key], s["load"].get(key, {})
        lines.append(f"{key:44} {fmt(a):>34}   {fmt(b)}")
    lines.append("")
    lines.append(f"memory by process (MB): harbour {h['memory_by_process_mb']}, stock {s['memory_by_process_mb']}")
    return "\n".join(lines)


def chart(results: Dict, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h, s = results["harbour"], results["stock"]
    keys = list(h["load"])
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    x = range(len(keys))
    for ax, metric, title in (
        (axes[0], "throughput_per_s", "Throughput (messages/s, higher is better)"),
        (axes[1], "p95_ms", "p95 latency (ms, lower is better)"),
    ):
        ax.bar([i - 0.2 for i in x], [h["load"][k][metric] or 0 for k in keys], 0.4, label="Harbour")
        ax.bar([i + 0.2 for i in x], [s["load"][k][metric] or 0 for k in keys], 0.4, label="stock Rasa")
        ax.set_xticks(list(x), [k.replace("_", "\n") + " sess." for k in keys], fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.legend()
    names = ["training s", "start s", "memory MB ÷ 10"]
    hv = [h["training_seconds"], h["start_seconds"], h["memory_mb"] / 10]
    sv = [s["training_seconds"], s["start_seconds"], s["memory_mb"] / 10]
    axes[2].bar([i - 0.2 for i in range(3)], hv, 0.4, label="Harbour")
    axes[2].bar([i + 0.2 for i in range(3)], sv, 0.4, label="stock Rasa")
    axes[2].set_xticks(range(3), names)
    axes[2].set_title("Cost (lower is better)", fontsize=10)
    axes[2].legend()
    fig.suptitle("Harbour vs stock Rasa 3.6 on the same data, same machine, same run (make bench)")
    fig.tight_layout()
    fig.savefig(target, dpi=110)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="per load level")
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--only", choices=sorted(SYSTEMS), help="measure one system (no ratios)")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    texts = parent_messages()
    results: Dict = {
        "machine": {"cpus": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
        "seconds_per_level": args.seconds,
        "messages_in_mix": len(texts),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name in [args.only] if args.only else ["stock", "harbour"]:
            (Path(tmp) / name).mkdir()
            results[name] = measure(name, Path(tmp), levels, args.seconds, texts)
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    if args.only:
        print(json.dumps(results, indent=2))
        return 0
    results["ratios"] = ratios(results["harbour"], results["stock"])
    (reports / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    chart(results, reports / "bench.png")
    print()
    print(table(results))
    print("\nWrote reports/bench.json and reports/bench.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
