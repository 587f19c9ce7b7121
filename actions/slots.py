"""Slot and metadata values, checked before an action uses them (issue 18, M1).

A slot can hold anything a message set: `/intent{"location": {"nested": [1]}}` through
Rasa's REST channel once crashed the action server. Each reader returns a value of the
expected kind and range, or None, so an action always answers, falling back to the
defaults it uses when nothing is known.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker

from bot.regions import PLACE_CODES

AGE_BANDS = ("under_13", "13_17", "18_plus")
MAX_ID_CHARS = 64


def _text(value: Any, max_chars: int = MAX_ID_CHARS) -> Optional[str]:
    return value if isinstance(value, str) and 0 < len(value) <= max_chars else None


def location(tracker: Tracker) -> Optional[str]:
    value = tracker.get_slot("location")
    return value if isinstance(value, str) and value in PLACE_CODES else None


def child_age(tracker: Tracker) -> Optional[float]:
    value = tracker.get_slot("child_age")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if 0 <= value <= 120 else None


def age_band(tracker: Tracker) -> Optional[str]:
    value = tracker.get_slot("age_band")
    return value if isinstance(value, str) and value in AGE_BANDS else None


def pending_topic(tracker: Tracker) -> Optional[str]:
    return _text(tracker.get_slot("pending_topic"))


def school_id(tracker: Tracker) -> Optional[str]:
    """The school from the latest message's metadata, else the session's first."""
    latest = (tracker.latest_message or {}).get("metadata")
    started = tracker.get_slot("session_started_metadata")
    for metadata in (latest, started):
        school = _text(metadata.get("school")) if isinstance(metadata, dict) else None
        if school:
            return school
    return None
