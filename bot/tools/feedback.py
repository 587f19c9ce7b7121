"""Counts the answers to "Was this helpful?" per topic, from the tracker store.

    make feedback            # last 30 days from var/harbour.db
    make feedback DAYS=7

The buttons under each answer set the `helpful` slot to "yes" or "no"; the topic is the
one being answered at that moment (the parent's question, or the question a form was
asking for). Only counts leave the store: no message text is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Dict, Optional, Tuple

from bot import settings
from bot.privacy.conversations import events, since
from bot.privacy.database import Store, describe, from_argument, is_url, location
from bot.topics import content_topics

CONTENT = set(content_topics())


def helpful_counts(db: Store, days: float, now: Optional[float] = None) -> Dict[str, Counter]:
    """{topic: Counter({"yes": n, "no": m})} over conversations active in the last `days`."""
    rows = events(db, ("user", "slot"), since(days, now), order="conversation")
    counts: Dict[str, Counter] = {}
    topic: Dict[str, str] = {}
    for sender, kind, intent, data in rows:
        if kind == "user" and intent in CONTENT:
            topic[sender] = intent
            continue
        if kind != "slot":
            continue
        event = json.loads(data)
        if event.get("name") == "helpful" and event.get("value") in ("yes", "no"):
            counts.setdefault(topic.get(sender, "unknown"), Counter())[event["value"]] += 1
    return counts


def render(counts: Dict[str, Counter]) -> Tuple[str, int]:
    lines = ["| topic | helpful | not helpful | % helpful |", "|---|---|---|---|"]
    total = Counter()
    for name, count in sorted(counts.items(), key=lambda item: -sum(item[1].values())):
        total.update(count)
        answered = count["yes"] + count["no"]
        lines.append(f"| {name} | {count['yes']} | {count['no']} | {100 * count['yes'] / answered:.0f}% |")
    answered = total["yes"] + total["no"]
    if answered:
        lines.append(f"| **all** | {total['yes']} | {total['no']} | {100 * total['yes'] / answered:.0f}% |")
    return "\n".join(lines), answered


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=from_argument,
        default=location(settings.load()),
        help="SQLite tracker store (HARBOUR_DB) or PostgreSQL URL (HARBOUR_DB_URL, used when set)",
    )
    parser.add_argument("--days", type=float, default=30)
    args = parser.parse_args(argv)
    table, answered = render(helpful_counts(args.db, args.days))
    if not answered:
        where = describe(args.db) if is_url(args.db) else args.db  # never the password
        print(f"No feedback in the last {args.days:g} days in {where}.")
        return 0
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
