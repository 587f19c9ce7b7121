"""Load benchmark: 200 concurrent sessions talk through /api/chat for a minute.

Starts the whole stack as `make run` does (rate limits raised, since every simulated
parent shares one address), then runs closed-loop sessions: each sends a held-out
message, waits for the answer, and sends the next. Reports throughput, p50/p95/p99 and
errors (anything but HTTP 200), and writes reports/bench_load.json.

    .venv/bin/python scripts/bench_load.py [--sessions 200] [--seconds 60]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.paths import ROOT  # noqa: E402
from bot.stack import running_harbour, train  # noqa: E402


def messages():
    found = []
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            found += [l.strip()[2:] for l in block["examples"].splitlines() if l.strip()]
    return found


async def load(url: str, sessions: int, seconds: float):
    texts = messages()
    latencies, errors = [], {}
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=sessions)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        async def parent(number: int):
            session, turn = str(uuid.uuid4()), number
            while time.monotonic() < deadline:
                body = {"session": session, "message": texts[turn % len(texts)], "school": "st-marys"}
                begin = time.perf_counter()
                try:
                    async with http.post(url, json=body, headers={"origin": "http://localhost:8000"}) as reply:
                        await reply.read()
                        status = reply.status
                except aiohttp.ClientError as error:
                    status = type(error).__name__
                if status == 200:
                    latencies.append(time.perf_counter() - begin)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                turn += 7
        started = time.monotonic()
        await asyncio.gather(*(parent(n) for n in range(sessions)))
        elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else None
    return {
        "sessions": sessions, "seconds": round(elapsed, 1), "answered": len(latencies),
        "errors": errors, "throughput_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    os.environ.update(HARBOUR_RATE_SESSION="1000000", HARBOUR_RATE_ADDRESS="1000000")
    model = ROOT / "models" / "harbour.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = model if model.exists() else train(tmp, "bench")
        print(f"Starting the stack, then {args.sessions} sessions for {args.seconds:g} s...", flush=True)
        with running_harbour(model, tmp) as harbour:
            result = asyncio.run(load(f"{harbour.web_url}/api/chat", args.sessions, args.seconds))
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench_load.json").write_text(json.dumps(result, indent=2) + "\n")
    for key, value in result.items():
        print(f"  {key:18} {value:.1f}" if isinstance(value, float) else f"  {key:18} {value}")
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
