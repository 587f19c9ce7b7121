"""What a conversation turn adds to the insight counts, read from the events Rasa saves.

The tracker store (bot/rasa/tracker_store.py) passes each save's new events here; only
intents, action names and slot values are read, never text. Each event adds to the count
of its own day (UTC):

- a new session: `conversation`;
- a parent's message read as immediate danger or possible danger: `crisis_danger`,
  `crisis_possible`; one Harbour could not read: `fallback`;
- `utter_choose_topic` (two nearly tied topics offered as buttons): `clarify`;
- `action_recommend_support` (the answer's services): `answer`;
- the `helpful` slot set to yes or no: `helpful_yes`, `helpful_no`.

The topic is the latest content topic of the conversation; the region is the `location`
slot or the school's; the age band comes from `child_age` or `age_band`.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from typing import Dict, Iterable, Mapping, Optional

from bot.insight.store import Key
from bot.topics import content_topics

logger = logging.getLogger(__name__)

CONTENT = frozenset(content_topics())
INTENT_METRICS = {"immediate_danger": "crisis_danger", "possible_danger": "crisis_possible", "nlu_fallback": "fallback"}
ACTION_METRICS = {"utter_choose_topic": "clarify", "action_recommend_support": "answer"}
AGE_BANDS = ("under_13", "13_17", "18_plus")


def day_of(timestamp: Optional[float]) -> str:
    moment = datetime.fromtimestamp(timestamp, timezone.utc) if timestamp else datetime.now(timezone.utc)
    return moment.date().isoformat()


def age_band(child_age, band) -> str:
    try:
        age = float(child_age) if child_age is not None else None
    except (TypeError, ValueError):
        age = None
    if age is not None and 0 <= age < 30:
        return "under_13" if age < 13 else "13_17" if age < 18 else "18_plus"
    return band if band in AGE_BANDS else ""


def _school(event_metadata: Mapping, started: Mapping, schools: Mapping) -> str:
    value = (event_metadata or {}).get("school") or (started or {}).get("school")
    return value if isinstance(value, str) and value in schools else ""


def turn_counts(tracker, new_events: Iterable, schools: Mapping) -> Dict[Key, int]:
    """The counts this save adds: {Key: n}. `tracker` is Rasa's DialogueStateTracker;
    `schools` maps school id to an object with a `region`."""
    new_events = list(new_events)
    if not new_events:
        return {}
    slots = tracker.current_slot_values()
    topic, latest_user = "", None
    for event in reversed(tracker.events):
        if getattr(event, "type_name", None) != "user":
            continue
        latest_user = latest_user or event
        intent = (event.intent or {}).get("name")
        if intent in CONTENT:
            topic = intent
            break
    pending = slots.get("pending_topic")
    if not topic and pending in CONTENT:
        topic = pending
    school = _school(getattr(latest_user, "metadata", None), slots.get("session_started_metadata"), schools)
    location = slots.get("location")
    region = location if isinstance(location, str) and location else (schools[school].region if school else "")
    base = {
        "school": school,
        "region": region[:16],
        "age_band": age_band(slots.get("child_age"), slots.get("age_band")),
        "channel": str(getattr(latest_user, "input_channel", None) or "")[:32],
        "topic": topic,
    }
    counts: Counter = Counter()
    for event in new_events:
        kind = getattr(event, "type_name", None)
        metric = None
        if kind == "session_started":
            metric = "conversation"
        elif kind == "user":
            metric = INTENT_METRICS.get((event.intent or {}).get("name"))
        elif kind == "action":
            metric = ACTION_METRICS.get(event.action_name)
        elif kind == "slot" and event.key == "helpful" and event.value in ("yes", "no"):
            metric = f"helpful_{event.value}"
        if metric:
            counts[Key(day=day_of(event.timestamp), metric=metric, **base)] += 1
    return dict(counts)
