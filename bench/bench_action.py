"""Benchmark: how long action_recommend_support takes, in-process (no HTTP).

Runs the action over every topic x region x age band x four moments of the week, several
rounds, and reports p50/p95/p99 per call. Writes reports/bench_action.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime, timezone
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from actions.support import ActionRecommendSupport  # noqa: E402
from bot.paths import ROOT  # noqa: E402
from bot.regions import REGION_CODES, UK  # noqa: E402
from bot.topics import all_topics  # noqa: E402

REGIONS = [None, *(code for code in REGION_CODES if code != UK)]
AGES = [None, 9.0, 15.0, 19.0]
MOMENTS = [datetime(2026, 11, d, h, tzinfo=timezone.utc) for d, h in ((21, 23), (23, 11), (24, 3), (27, 17))]
ROUNDS = 5


def main() -> int:
    action = ActionRecommendSupport()
    timings = []
    cases = list(product(all_topics(), REGIONS, AGES, MOMENTS))
    for _ in range(ROUNDS):
        for topic, region, age, moment in cases:
            action.clock = lambda moment=moment: moment
            tracker = Tracker(
                "bench",
                {"location": region, "child_age": age},
                {"intent": {"name": topic}},
                [],
                False,
                None,
                {},
                "action_listen",
            )
            begin = time.perf_counter()
            action.run(CollectingDispatcher(), tracker, {})
            timings.append((time.perf_counter() - begin) * 1000)
    timings.sort()
    result = {
        "calls": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "p99_ms": timings[int(0.99 * (len(timings) - 1))],
    }
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench_action.json").write_text(json.dumps(result, indent=2) + "\n")
    print("action_recommend_support, in-process:")
    for key, value in result.items():
        print(f"  {key:8} {value:.3f}" if isinstance(value, float) else f"  {key:8} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
