"""Which "what to do in the next minutes" reply fits the danger the parent described.

The crisis tier (bot/nlu/components.py) puts the kind of danger in the parse data as
`harbour_nlu.danger_category`. A parent who tapped "No, not safe" sent a button payload,
which skips the NLU pipeline, so the kind is taken from their last typed message.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

CATEGORIES = (
    "suicide_self_harm",
    "injury_weapon_overdose",
    "missing_unreachable",
    "meeting_adult",
    "abuse_now",
    "adult_at_door",
    "threat_to_harm",
    "intoxicated_at_risk",
    "sextortion_self_harm",
)
GENERAL_STEPS = "utter_danger_steps"


def danger_category(tracker: Tracker) -> Optional[str]:
    """The kind of danger in the parent's most recent typed message that named one."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        info = (event.get("parse_data") or {}).get("harbour_nlu") or {}
        if isinstance(info, dict) and info.get("danger_category") in CATEGORIES:
            return info["danger_category"]
        if not str(event.get("text") or "").startswith("/"):
            return None
    return None


def danger_steps_response(tracker: Tracker) -> str:
    category = danger_category(tracker)
    return f"{GENERAL_STEPS}_{category}" if category else GENERAL_STEPS


def answered_not_safe(tracker: Tracker) -> bool:
    """Whether the parent's last message said "no" to "Is your child safe right now?"."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if intent != "deny":
        return False
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return (event.get("metadata") or {}).get("utter_action") == "utter_check_safe"
        elif event.get("event") == "action" and seen_user and event.get("name") not in (None, "action_listen"):
            return event.get("name") == "utter_check_safe"
    return False
