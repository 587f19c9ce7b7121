"""The figures /insight shows, already suppressed: one dict for the page and the JSON, and
the same figures as CSV rows (bot/insight/suppress.py has the rule)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from typing import Dict, Hashable, List, Mapping, Optional

from bot.insight import store
from bot.insight.suppress import HIDDEN, SMALL, Shown, protect, rate

# What each measure adds up; "clicks" is every service-card click.
MEASURES = {
    "conversation": ("conversation",),
    "answer": ("answer",),
    "clarify": ("clarify",),
    "fallback": ("fallback",),
    "crisis_danger": ("crisis_danger",),
    "crisis_possible": ("crisis_possible",),
    "helpful_yes": ("helpful_yes",),
    "helpful_no": ("helpful_no",),
    "clicks": store.CLICKS,
    "quick_exit": ("quick_exit",),
    "clear_chat": ("clear_chat",),
}
TREND = ("conversation", "answer", "fallback")
BY_TOPIC = ("answer", "helpful_yes", "helpful_no", "clicks")
WEEKLY_AFTER_DAYS = 35
MAX_DAYS = 366
KINDS = {"click_call": "call", "click_text": "text", "click_website": "website"}


def measure_of(metric: str) -> Optional[str]:
    for name, parts in MEASURES.items():
        if metric in parts:
            return name
    return None


def buckets(start: date, end: date) -> List[date]:
    """The first day of each bar: days, or weeks (from `start`) for long ranges."""
    step = 7 if (end - start).days + 1 > WEEKLY_AFTER_DAYS else 1
    return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


def _bucket_of(day: str, first: List[date]) -> date:
    d = date.fromisoformat(day)
    step = (first[1] - first[0]).days if len(first) > 1 else 1
    return first[min(len(first) - 1, (d - first[0]).days // step)]


def build(
    connection,
    start: date,
    end: date,
    school: Optional[str] = None,
    region: Optional[str] = None,
    topic_titles: Mapping[str, str] = None,
    service_names: Mapping[str, str] = None,
    school_names: Optional[Mapping[str, str]] = None,
) -> dict:
    """Every figure for the page, suppressed. `school_names` (operator, no school filter)
    adds conversations by school."""
    topic_titles, service_names = topic_titles or {}, service_names or {}
    totals: Dict[str, int] = defaultdict(int)
    # measure -> partition name -> {key: count}
    parts: Dict[str, Dict[str, Dict[Hashable, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    first = buckets(start, end)

    def query(by, metrics=None):
        return store.totals(connection, start, end, by, school, region, metrics)

    # Each query reads only its own measures (the table is keyed by metric, then day).
    for day, metric, count in query(("day", "metric"), TREND):
        parts[metric]["trend"][_bucket_of(day, first).isoformat()] += int(count)
        totals[metric] += int(count)
    for topic, metric, count in query(("topic", "metric"), [m for name in BY_TOPIC for m in MEASURES[name]]):
        parts[measure_of(metric)]["topic"][topic] += int(count)
        if measure_of(metric) not in TREND:
            totals[measure_of(metric)] += int(count)
    for metric, detail, count in query(("metric", "detail"), store.CLICKS):
        parts["clicks"]["service"][(detail, KINDS[metric])] += int(count)
        parts["clicks"]["kind"][KINDS[metric]] += int(count)
    rest = [m for name, metrics in MEASURES.items() if name not in TREND + BY_TOPIC for m in metrics]
    for metric, count in query(("metric",), rest):
        totals[measure_of(metric)] += int(count)
    for school_id, region_code, count in query(("school", "region"), ("conversation",)):
        parts["conversation"]["region"][region_code] += int(count)
        if school_names is not None:
            parts["conversation"]["school"][school_id] += int(count)
    for measure in TREND:  # every bar, even an empty one
        for bucket in first:
            parts[measure]["trend"][bucket.isoformat()] += 0
    for topic in set().union(*(parts[m]["topic"].keys() for m in BY_TOPIC)):
        for measure in BY_TOPIC:
            parts[measure]["topic"][topic] += 0
    for kind in KINDS.values():
        parts["clicks"]["kind"][kind] += 0

    shown_totals: Dict[str, object] = {}
    shown_parts: Dict[str, Dict[str, Shown]] = {}
    for measure in MEASURES:
        total = totals.get(measure, 0)
        partitions = parts.get(measure, {})
        result = {name: protect(cells, total) for name, cells in partitions.items()}
        single = protect({"all": total}, total).total
        if single in (SMALL, HIDDEN) or any(r.total in (SMALL, HIDDEN) for r in result.values()):
            result = {name: protect(cells, total, hide_total=True) for name, cells in partitions.items()}
            single = SMALL if total < 10 else HIDDEN
        shown_totals[measure] = single
        shown_parts[measure] = result

    def cells(measure: str, partition: str) -> Dict[Hashable, object]:
        found = shown_parts[measure].get(partition)
        return found.cells if found else {}

    topics = []
    for topic in cells("answer", "topic"):
        answers, yes, no, clicks = (cells(m, "topic").get(topic, SMALL) for m in BY_TOPIC)
        answered = yes + no if isinstance(yes, int) and isinstance(no, int) else None
        topics.append(
            {
                "topic": topic,
                "title": topic_titles.get(topic, topic or "No topic yet"),
                "answers": answers,
                "helpful_yes": yes,
                "helpful_no": no,
                "helpful_share": rate(yes, answered),
                "clicks": clicks,
                "click_through": rate(clicks, answers),
            }
        )
    topics.sort(key=_order("answers"))
    services = [
        {"service": sid, "name": service_names.get(sid, sid), "kind": kind, "clicks": value}
        for (sid, kind), value in cells("clicks", "service").items()
    ]
    services.sort(key=_order("clicks"))
    understood = [shown_totals[m] for m in ("answer", "clarify", "fallback")]
    denominator = sum(understood) if all(isinstance(v, int) for v in understood) else None
    answered_all = (
        shown_totals["helpful_yes"] + shown_totals["helpful_no"]
        if all(isinstance(shown_totals[m], int) for m in ("helpful_yes", "helpful_no"))
        else None
    )
    report = {
        "range": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "bucket": "week" if len(first) > 1 and (first[1] - first[0]).days == 7 else "day",
        },
        "filters": {"school": school, "region": region},
        "totals": shown_totals,
        "rates": {
            "fallback_rate": rate(shown_totals["fallback"], denominator),
            "helpful_share": rate(shown_totals["helpful_yes"], answered_all),
            "click_through": rate(shown_totals["clicks"], shown_totals["answer"]),
        },
        "trend": {
            "buckets": [b.isoformat() for b in first],
            "series": {m: [cells(m, "trend")[b.isoformat()] for b in first] for m in TREND},
        },
        "topics": topics,
        "services": services,
        "clicks_by_kind": dict(cells("clicks", "kind")),
        "regions": sorted(
            ({"region": k or "not known", "conversations": v} for k, v in cells("conversation", "region").items()),
            key=_order("conversations"),
        ),
    }
    if school_names is not None:
        report["schools"] = sorted(
            (
                {"school": k, "name": school_names.get(k, k) if k else "No school", "conversations": v}
                for k, v in cells("conversation", "school").items()
            ),
            key=_order("conversations"),
        )
    return report


def _order(field: str):
    """Largest shown first; hidden and small ones after, by name, so the order gives
    nothing away."""

    def key(row: dict):
        value = row[field]
        return (0, -value, "") if isinstance(value, int) else (1, 0, str(row.get("title") or row.get("name") or ""))

    return key


def to_csv(report: dict) -> str:
    """The same figures as the JSON, one per line: section, item, measure, value."""
    out = io.StringIO()
    writer = _Writer(out)
    writer.writerow(["section", "item", "measure", "value"])
    writer.writerow(["range", report["range"]["start"], "to", report["range"]["end"]])
    for measure, value in report["totals"].items():
        writer.writerow(["totals", "all", measure, value])
    for name, value in report["rates"].items():
        writer.writerow(["rates", "all", name, "" if value is None else f"{value:.3f}"])
    for measure, values in report["trend"]["series"].items():
        for bucket, value in zip(report["trend"]["buckets"], values):
            writer.writerow(["trend", bucket, measure, value])
    for row in report["topics"]:
        for measure in ("answers", "helpful_yes", "helpful_no", "clicks"):
            writer.writerow(["topics", row["topic"], measure, row[measure]])
    for row in report["services"]:
        writer.writerow(["services", f"{row['service']}:{row['kind']}", "clicks", row["clicks"]])
    for kind, value in report["clicks_by_kind"].items():
        writer.writerow(["clicks_by_kind", kind, "clicks", value])
    for row in report["regions"]:
        writer.writerow(["regions", row["region"], "conversations", row["conversations"]])
    for row in report.get("schools", []):
        writer.writerow(["schools", row["school"], "conversations", row["conversations"]])
    return out.getvalue()


class _Writer:
    """csv.writer where no cell can start a spreadsheet formula."""

    def __init__(self, out: io.StringIO) -> None:
        self.writer = csv.writer(out, lineterminator="\n")

    def writerow(self, cells: list) -> None:
        self.writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in cells])
