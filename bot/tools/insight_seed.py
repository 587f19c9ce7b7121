"""Seeds the insight table with made-up daily counts, for the benchmark, the browser tests
and the screenshots. Never point it at a real database: it adds to whatever is there.

    python -m bot.tools.insight_seed --db /tmp/seed.db --days 90 --conversations 100000 --schools 50

Each made-up conversation gets a day, a school, a region, an age band and a topic, and
then answers, clarifying questions, fallbacks, crisis tiers, "Was this helpful?" answers,
card clicks, quick exits and Clear chat at plausible rates. The same seed gives the same
counts. --schools-file also writes a schools file (with insight tokens) naming the
schools, for HARBOUR_SCHOOLS_FILE.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from bot.insight import store
from bot.insight.access import digest
from bot.topics import content_topics

REGIONS = ["GB-ENG"] * 6 + ["GB-WLS", "GB-SCT", "GB-NIR", "IE", ""]
AGES = ["under_13", "13_17", "13_17", "18_plus", ""]
SERVICES = ["childline", "nspcc_helpline", "internet_watch_foundation", "ceop_safety_centre", "stop_it_now_uk_ireland"]
KINDS = ["click_call", "click_website", "click_website", "click_text"]
# (metric, chance per conversation)
EVENTS = [
    ("answer", 0.9),
    ("answer", 0.35),
    ("clarify", 0.08),
    ("fallback", 0.12),
    ("crisis_possible", 0.02),
    ("crisis_danger", 0.01),
    ("helpful_yes", 0.3),
    ("helpful_no", 0.08),
    ("quick_exit", 0.03),
    ("clear_chat", 0.04),
]


def school_ids(n: int) -> List[str]:
    return [f"seed-school-{i:02d}" for i in range(1, n + 1)]


def token_for(school: str) -> str:
    """The seeded school's made-up insight token (test data only)."""
    return f"seed-token-for-{school}-0000"


def counts(
    days: int, conversations: int, schools: int, end: date, seed: int = 17, ids: Optional[List[str]] = None
) -> Dict[store.Key, int]:
    rng = random.Random(seed)
    topics = [t for t in content_topics() if t != "immediate_danger"]
    weights = [1.0 / (1 + i) for i in range(len(topics))]  # a few topics asked about most
    ids = ids or school_ids(schools)
    out: Counter = Counter()
    for _ in range(conversations):
        day = (end - timedelta(days=rng.randrange(days))).isoformat()
        school = rng.choice(ids) if rng.random() < 0.8 else ""
        topic = rng.choices(topics, weights)[0]
        base = dict(day=day, school=school, region=rng.choice(REGIONS), age_band=rng.choice(AGES), channel="rest")
        out[store.Key(metric="conversation", topic=topic, **base)] += 1
        for metric, chance in EVENTS:
            if rng.random() < chance:
                out[store.Key(metric=metric, topic=topic, **base)] += 1
        if rng.random() < 0.3:
            out[store.Key(metric=rng.choice(KINDS), topic=topic, detail=rng.choice(SERVICES), **base)] += 1
    return dict(out)


def schools_file(path: Path, schools: int, region: str = "GB-ENG", names: Optional[Dict[str, str]] = None) -> None:
    entries = []
    for school in school_ids(schools):
        entries.append(
            {
                "id": school,
                "name": (names or {}).get(school, f"Seeded school {school[-2:]}"),
                "region": region,
                "dsl": {"name": "Seeded lead", "role": "Designated Safeguarding Lead"},
                "allowed_origins": ["http://localhost:8000"],
                "theme": {"primary": "#1d4f91", "text_on_primary": "#ffffff"},
                "insight_token_sha256": digest(token_for(school)),
            }
        )
    path.write_text(yaml.safe_dump({"schools": entries}, sort_keys=False), encoding="utf-8")


def seed(
    db: str, days: int, conversations: int, schools: int, end: Optional[date] = None, ids: Optional[List[str]] = None
) -> int:
    engine = store.engine_for(db)
    store.ensure(engine)
    cells = counts(days, conversations, schools, end or datetime.now(timezone.utc).date(), ids=ids)
    with engine.begin() as connection:
        store.add(connection, cells)
    engine.dispose()
    return len(cells)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a SQLite file or SQLAlchemy URL (not the live one)")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--schools-file", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = seed(args.db, args.days, args.conversations, args.schools)
    if args.schools_file:
        schools_file(args.schools_file, args.schools)
    print(f"insight_seed: {rows} rows of counts for {args.conversations} conversations in {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
