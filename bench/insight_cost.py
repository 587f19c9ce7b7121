"""Benchmark: what insight costs (issue 17).

1. Recording: Harbour's tracker store saving conversation turns with the insight counts
   and without them (in process, SQLite as `make run` uses it): p50/p95 per save, and
   what insight adds to p95 (budget: 1 ms).
2. The page: 90 days of seeded counts for 100,000 conversations across 50 schools, the
   web app alone (`python -m bot.web`), /insight/api and /insight/csv for the operator
   (all schools) and for one school (budget: under 1 s).

Writes reports/bench_insight.json.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from bot.paths import ROOT  # noqa: E402
from bot.rasa.tracker_store import HarbourSQLTrackerStore  # noqa: E402
from bot.tools.insight_seed import schools_file, seed, token_for  # noqa: E402
from bot.tools.web_only import running_web  # noqa: E402

CONVERSATIONS = 150
TOPICS = ["nude_shared_by_child", "sextortion", "sexting_law", "remove_image", "what_school_will_do"]
OPERATOR = "operator-token-for-the-benchmark-only"


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def turns(n: int):
    """(sender, [events of each turn]) for n conversations of three turns."""
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        meta = {"school": "st-marys"}
        yield (
            f"bench-{i:05d}-0000-0000",
            [
                [
                    ActionExecuted("action_session_start"),
                    SessionStarted(),
                    ActionExecuted("action_listen"),
                    UserUttered(
                        "a worried message", {"name": topic, "confidence": 0.9}, metadata=meta, input_channel="rest"
                    ),
                    ActionExecuted(f"utter_{topic}"),
                    ActionExecuted("action_recommend_support"),
                    ActionExecuted("utter_ask_helpful"),
                    ActionExecuted("action_listen"),
                ],
                [
                    UserUttered(
                        "/helpful", {"name": "helpful", "confidence": 1.0}, metadata=meta, input_channel="rest"
                    ),
                    SlotSet("helpful", "yes"),
                    ActionExecuted("utter_helpful_yes"),
                    ActionExecuted("action_listen"),
                ],
                [
                    UserUttered("we're in wales", {"name": "inform_location", "confidence": 0.9}, input_channel="rest"),
                    SlotSet("location", "GB-WLS"),
                    ActionExecuted("action_recommend_support"),
                    ActionExecuted("action_listen"),
                ],
            ],
        )


def save_timings(tmp: Path, with_insight: bool) -> list:
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker_store = HarbourSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp / f"t{int(with_insight)}.db"))
    if not with_insight:
        tracker_store.insight.seen = lambda tracker, events: iter(list(events))
        tracker_store.insight.record = lambda tracker: None
    timings = []
    for sender, conversation in turns(CONVERSATIONS):
        tracker = DialogueStateTracker(sender, domain.slots)
        for events in conversation:
            for event in events:
                tracker.update(event)
            started = time.perf_counter()
            asyncio.run(tracker_store.save(tracker))
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def recording(tmp: Path) -> dict:
    (tmp / "warm").mkdir()
    save_timings(tmp / "warm", True)
    runs = {False: [], True: []}
    for _ in range(3):  # interleaved, so both see the same machine
        for flag in (False, True):
            run = tmp / f"run-{flag}-{len(runs[flag])}"
            run.mkdir()
            runs[flag].extend(save_timings(run, flag))
    without, with_ = runs[False], runs[True]
    return {
        "saves": len(with_),
        "without_p50_ms": round(statistics.median(without), 3),
        "without_p95_ms": round(percentile(without, 0.95), 3),
        "with_p50_ms": round(statistics.median(with_), 3),
        "with_p95_ms": round(percentile(with_, 0.95), 3),
        "added_p95_ms": round(percentile(with_, 0.95) - percentile(without, 0.95), 3),
    }


def page(tmp: Path) -> dict:
    db = tmp / "seeded.db"
    started = time.perf_counter()
    rows = seed(str(db), days=90, conversations=100_000, schools=50)
    seeded_in = time.perf_counter() - started
    schools_file(tmp / "schools.yml", 50)
    out = {"rows": rows, "seeded_in_s": round(seeded_in, 1)}
    env = {"HARBOUR_DB": str(db), "HARBOUR_SCHOOLS_FILE": str(tmp / "schools.yml"), "HARBOUR_INSIGHT_TOKEN": OPERATOR}
    with running_web(tmp, **env) as url:
        cases = {
            "operator_all_schools_90_days": ("/insight/api", OPERATOR),
            "operator_csv_90_days": ("/insight/csv", OPERATOR),
            "one_school_90_days": ("/insight/api", token_for("seed-school-07")),
        }
        end = datetime.now(timezone.utc).date()
        span = {"start": (end - timedelta(days=89)).isoformat(), "end": end.isoformat()}
        requests.get(url + "/insight", timeout=10).raise_for_status()
        for name, (path, token) in cases.items():
            times = []
            for _ in range(5):
                t = time.perf_counter()
                reply = requests.get(url + path, params=span, headers={"Authorization": f"Bearer {token}"}, timeout=30)
                reply.raise_for_status()
                times.append(time.perf_counter() - t)
            out[name] = {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        result = {"recording": recording(tmp), "page": page(tmp)}
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench_insight.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rec, pg = result["recording"], result["page"]
    print(
        f"insight recording: p95 per save {rec['without_p95_ms']} ms without, {rec['with_p95_ms']} ms with "
        f"(+{rec['added_p95_ms']} ms; budget 1 ms) over {rec['saves']} saves"
    )
    for name in ("operator_all_schools_90_days", "operator_csv_90_days", "one_school_90_days"):
        print(f"insight page: {name}: median {pg[name]['median_s']} s, max {pg[name]['max_s']} s (budget 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
