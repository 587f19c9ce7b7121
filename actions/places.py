"""Settling a place name that exists in more than one region (bot/services/places.py).

`place_check` looks at the parent's latest message that named a place. If the name was
ambiguous and nothing qualified it, Harbour says what it assumed, with a button for each
other reading; if a qualifier further on picked another reading than the entity rules
did, the location slot follows it and Harbour says so. Each is said once.
action_recommend_support calls it after an answer; action_settle_place after "Thank you,
I'll give you answers for ...".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from bot.regions import PLACE_CODES, UK
from bot.services.directory import Service
from bot.services.places import OPENING, assumption_note, button, read_place, switch_note

SWITCH_OPENING = "You mentioned "


@dataclass
class PlaceCheck:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    events: List[Dict[str, Any]] = field(default_factory=list)
    region: Optional[str] = None  # the region from now on, when it changed


def emergency_numbers(services: Dict[str, Service]) -> Dict[str, Optional[str]]:
    """Each region's emergency number from the directory (urgent services); None where
    Harbour has none (a country it has no answers for)."""
    numbers: Dict[str, Optional[str]] = {}
    for code in PLACE_CODES:
        numbers[code] = next(
            (
                s.phone_for(code)
                for s in services.values()
                if s.urgent and (code in s.regions or (code.startswith(UK + "-") and UK in s.regions))
            ),
            None,
        )
    return numbers


def _latest_place_message(tracker: Tracker) -> Optional[int]:
    """Index in tracker.events of the parent's latest message that named a place."""
    for index in range(len(tracker.events) - 1, -1, -1):
        event = tracker.events[index]
        if event.get("event") != "user":
            continue
        entities = (event.get("parse_data") or {}).get("entities") or []
        if any(e.get("entity") == "location" for e in entities):
            return index
    return None


def place_check(tracker: Tracker, services: Dict[str, Service], urgent: bool = False) -> Optional[PlaceCheck]:
    index = _latest_place_message(tracker)
    if index is None:
        return None
    text = str(tracker.events[index].get("text") or "")
    if text.startswith("/"):
        return None  # a tapped button names its region exactly
    for event in tracker.events[index + 1 :]:
        said = str(event.get("text") or "") if event.get("event") == "bot" else ""
        if said.startswith(OPENING) or said.startswith(SWITCH_OPENING):
            return None  # already said
    guess = read_place(text)
    location = slots.location(tracker)
    if guess is None or location != guess.place.default:
        return None  # no ambiguous name, or the region came from another name in the message
    if not guess.said:
        others = guess.place.others
        return PlaceCheck(assumption_note(guess, urgent), buttons=[button(r, urgent) for r in others])
    if guess.reading.region == location:
        return None
    region = guess.reading.region
    return PlaceCheck(
        switch_note(guess, emergency_numbers(services), urgent), events=[SlotSet("location", region)], region=region
    )


class ActionSettlePlace(Action):
    """After "Thank you, I'll give you answers for ...": says what was assumed about an
    ambiguous place name, or follows a qualifier. It always re-states the location slot,
    so the safety net (which treats an action with no events as failed) stays quiet."""

    def name(self) -> Text:
        return "action_settle_place"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        from actions.support import SERVICES  # one copy of the directory per action server

        check = place_check(tracker, SERVICES)
        if check is None:
            return [SlotSet("location", slots.location(tracker))]
        dispatcher.utter_message(text=check.text, buttons=check.buttons)
        return check.events or [SlotSet("location", slots.location(tracker))]
