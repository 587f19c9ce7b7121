"""Exports recent messages Harbour was unsure about, redacted, for a maintainer to label.

    make review            # last 7 days from var/harbour.db
    make review DAYS=30

Writes reports/review-<date>.yml in Rasa's NLU format, grouped under Harbour's best
guess. Each group is named `label_me__<guess>`: rename it to the right intent (or move
the lines) and paste into data/nlu/. `make validate` refuses unlabelled groups, because
`label_me__...` is not an intent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional

from bot import settings
from bot.paths import ROOT
from bot.privacy.conversations import events, since
from bot.privacy.database import Store, from_argument, location
from bot.privacy.redact import redact

FALLBACK = "nlu_fallback"


def unsure_messages(db: Store, days: float, threshold: float, now: Optional[float] = None) -> Dict[str, List[str]]:
    """{best guess: [redacted message, ...]} for fallbacks and low-confidence messages."""
    grouped: Dict[str, List[str]] = defaultdict(list)
    seen = set()
    for (data,) in events(db, ("user",), since(days, now), order="time", columns=("data",)):
        event = json.loads(data)
        text = (event.get("text") or "").strip()
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        if not text or text.startswith("/"):
            continue  # button payloads are not things parents typed
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
        unsure = intent.get("name") == FALLBACK or (intent.get("confidence") or 0) < threshold
        if not unsure:
            continue
        guess = ranking[0]["name"] if ranking else "unknown"
        line = " ".join(redact(text).split())[:500]
        if line.lower() not in seen:
            seen.add(line.lower())
            grouped[guess].append(line)
    return dict(grouped)


def render(grouped: Dict[str, List[str]], days: float) -> str:
    lines = [
        f"# Messages Harbour was unsure about in the last {days:g} days, redacted.",
        "# Rename each `label_me__<guess>` to the right intent, drop lines that are not useful,",
        "# and paste the blocks into data/nlu/<section>.yml. Then: make validate test",
        'version: "3.1"',
        "nlu:",
    ]
    for guess in sorted(grouped):
        lines.append(f"- intent: label_me__{guess}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in grouped[guess])
    if not grouped:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=from_argument,
        default=location(settings.load()),
        help="SQLite tracker store (HARBOUR_DB) or PostgreSQL URL (HARBOUR_DB_URL, used when set)",
    )
    parser.add_argument("--days", type=float, default=7)
    parser.add_argument("--threshold", type=float, default=0.5, help="confidence below this counts as unsure")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    grouped = unsure_messages(args.db, args.days, args.threshold)
    out = args.out or ROOT / "reports" / f"review-{dt.date.today().isoformat()}.yml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(grouped, args.days))
    count = sum(len(v) for v in grouped.values())
    print(f"review: {count} message(s) to label written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
