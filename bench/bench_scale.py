"""`make bench-scale`: the cluster (bot/tools/cluster.py) with 1 and then 2 Rasa servers
behind nginx, on this machine: throughput and p50/p95 through nginx's public /api/chat
(closed loop, held-out parent messages from tests/nlu/, the same load as `make bench`),
and the resident memory of every process.

Writes reports/bench-scale.json and reports/bench-scale.md; docs/deploy.md explains the
numbers and projects them to N machines.

    .venv/bin/python bench/bench_scale.py --model models/harbour.tar.gz [--seconds 20] [--sessions 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import closed_loop, parent_messages, say  # noqa: E402  (bench/bench.py)
from bot.paths import ROOT  # noqa: E402
from bot.tools.cluster import Cluster, running_cluster  # noqa: E402
from bot.tools.cluster_topology import Topology  # noqa: E402
from bot.tools.stack import free_port  # noqa: E402

LOAD_ENV = {
    "HARBOUR_RATE_SESSION": "1000000",  # the load comes from one address, as fast as it is answered
    "HARBOUR_RATE_ADDRESS": "1000000",
    "HARBOUR_RASA_TIMEOUT": "100",
    "SANIC_RESPONSE_TIMEOUT": "130",
}


def topology(rasa: int) -> Topology:
    return Topology(
        web_ports=(free_port(), free_port()),
        rasa_ports=tuple(free_port() for _ in range(rasa)),
        actions_ports=(free_port(), free_port()),
        public_port=free_port(),
        rasa_lb_port=free_port(),
        actions_lb_port=free_port(),
        postgres_port=free_port(),
        redis_port=free_port(),
    )


def memory(cluster: Cluster) -> Dict[str, float]:
    """MB resident per process (PostgreSQL and nginx with their worker processes)."""
    out = {}
    for name, process in cluster.processes.items():
        try:
            root = psutil.Process(process.pid)
            rss = root.memory_info().rss + sum(c.memory_info().rss for c in root.children(recursive=True))
        except psutil.NoSuchProcess:
            continue
        out[name] = round(rss / 2**20, 1)
    return out


def measure(model: Path, rasa: int, seconds: float, sessions: int, texts) -> Dict:
    data = Path(tempfile.mkdtemp(prefix="harbour-bench-scale-"))
    try:
        started = time.monotonic()
        with running_cluster(model, data, topology(rasa), **LOAD_ENV) as cluster:
            say(f"{rasa} Rasa server(s): cluster up in {time.monotonic() - started:.0f} s; warming up")
            url = f"{cluster.topology.public_url}/api/chat"
            asyncio.run(closed_loop(url, "api", sessions, 5, texts))
            say(f"{rasa} Rasa server(s): {sessions} sessions for {seconds:g} s")
            result = asyncio.run(closed_loop(url, "api", sessions, seconds, texts))
            result["memory_mb"] = memory(cluster)
            result["rasa_servers"] = rasa
            say(
                f"{rasa} Rasa server(s): {result['throughput_per_s']} msg/s, p95 {result['p95_ms']} ms, errors {result['errors']}"
            )
            return result
    finally:
        shutil.rmtree(data, ignore_errors=True)


def render(results: Dict, load: float) -> str:
    one, two = results["1"], results["2"]
    gain = two["throughput_per_s"] / one["throughput_per_s"] if one["throughput_per_s"] else 0
    lines = [
        f"# make bench-scale ({time.strftime('%Y-%m-%d %H:%M')}, {psutil.cpu_count()} cores, load average {load:.1f} at start)",
        "",
        "| Rasa servers | throughput | p50 | p95 | errors |",
        "|---|---|---|---|---|",
    ]
    for result in (one, two):
        lines.append(
            f"| {result['rasa_servers']} | {result['throughput_per_s']} msg/s | {result['p50_ms']} ms | "
            f"{result['p95_ms']} ms | {sum(result['errors'].values())} |"
        )
    lines += [
        "",
        f"2 servers / 1 server: **{gain:.2f}×** (target ≥ 1.5×)",
        "",
        "| process | MB resident |",
        "|---|---|",
    ]
    lines += [f"| {name} | {mb} |" for name, mb in sorted(two["memory_mb"].items())]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "harbour.tar.gz")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args(argv)
    texts = parent_messages()
    load = psutil.getloadavg()[0]
    results = {str(rasa): measure(args.model, rasa, args.seconds, args.sessions, texts) for rasa in (1, 2)}
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "bench-scale.json").write_text(json.dumps(results, indent=2) + "\n")
    table = render(results, load)
    (reports / "bench-scale.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
