"""Measures Harbour as a parent would feel it; writes reports/measure.json and prints a table.

- training time from a cold cache (a temporary RASA_CACHE_DIRECTORY);
- start time: `make run`'s script started -> first answer on the REST channel;
- resident memory (RSS) of the Rasa server and the action server after the messages;
- time per message over the held-out messages (tests/nlu), one at a time;
- held-out intent accuracy and the five weakest intents.

Run with `make measure`. Numbers depend on the machine; compare runs on the same one.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlu_report import weakest, write  # noqa: E402
from bot.paths import ROOT  # noqa: E402
from bot.stack import run_rasa, running_harbour, train  # noqa: E402


def held_out_messages():
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip():
                    yield line.strip()[2:].strip()


def rss_mb(harbour) -> dict:
    found = {}
    for process in [psutil.Process(harbour.process.pid), *psutil.Process(harbour.process.pid).children(recursive=True)]:
        command = " ".join(process.cmdline())
        if "run actions" in command:
            found["action_server_rss_mb"] = process.memory_info().rss / 2**20
        elif "rasa run" in command:
            found["rasa_server_rss_mb"] = process.memory_info().rss / 2**20
    return found


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print("Training from a cold cache...", flush=True)
        started = time.monotonic()
        model = train(tmp, "measured", RASA_CACHE_DIRECTORY=str(tmp / "cache"))
        results["training_seconds"] = time.monotonic() - started

        print("Starting the servers as `make run` does...", flush=True)
        with running_harbour(model, tmp) as harbour:
            results["start_seconds"] = harbour.started_in
            messages = list(held_out_messages())
            latencies = []
            for number, text in enumerate(messages):
                begin = time.perf_counter()
                harbour.say(f"measure-{number}", text)
                latencies.append(time.perf_counter() - begin)
            latencies.sort()
            results["messages"] = len(latencies)
            results["p50_ms"] = statistics.median(latencies) * 1000
            results["p95_ms"] = latencies[int(0.95 * (len(latencies) - 1))] * 1000
            results.update(rss_mb(harbour))

        print("Held-out NLU test...", flush=True)
        outcome = run_rasa("test", "nlu", "--model", str(model), "--nlu", "tests/nlu",
                           "--domain", "domain.yml", "--out", str(tmp / "nlu"))
        if outcome.returncode != 0:
            print(outcome.stderr[-2000:], file=sys.stderr)
            return 1
        reports = ROOT / "reports"
        reports.mkdir(exist_ok=True)
        report = write(tmp / "nlu" / "intent_report.json", reports / "nlu_heldout.md",
                       "Held-out NLU test (tests/nlu/)")
        results["held_out_accuracy"] = report["accuracy"]
        results["weakest_intents"] = {name: round(f1, 3) for name, f1 in weakest(report)}

    (ROOT / "reports" / "measure.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    for key, value in results.items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"  {key:24} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
