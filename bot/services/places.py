"""Place names found in more than one region: which one the parent means, and how Harbour
says what it assumed so they can correct it (lexicon/ambiguous_places.yml).

The entity rules (bot/nlu/, lexicon/locations.yml) already read a qualifier right after the
name ("Perth WA", "London, Ontario") and otherwise give the name's default region. This
module reads the same message again, for two things the entity rules cannot do:
- a qualifier further away ("we're in Perth, over in WA") picks its reading;
- a name with no qualifier at all: Harbour names the place it assumed, with a button for
  each other reading ("I've assumed you mean Perth in Scotland...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import jsonschema

from bot.paths import LEXICON
from bot.regions import PLACE_CODES
from bot.yamlio import load_yaml

PLACES_FILE = LEXICON / "ambiguous_places.yml"
# Qualifiers this short ("wa", "al", "bc") count only right after the name.
SHORT = 3
# How the note starts: the support action looks for it to say it once.
OPENING = "I've assumed you mean "

_READING = {
    "type": "object",
    "required": ["label", "where", "qualifiers"],
    "additionalProperties": False,
    "properties": {
        "label": {"type": "string", "minLength": 3},
        "where": {"type": "string", "minLength": 2},
        "qualifiers": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^[a-z][a-z .]*$"}},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["places"],
    "additionalProperties": False,
    "properties": {
        "places": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z ]*$"},
            "additionalProperties": {
                "type": "object",
                "required": ["default", "readings"],
                "additionalProperties": False,
                "properties": {
                    "default": {"enum": list(PLACE_CODES)},
                    "readings": {
                        "type": "object",
                        "minProperties": 2,
                        "propertyNames": {"enum": list(PLACE_CODES)},
                        "additionalProperties": _READING,
                    },
                },
            },
        }
    },
}


class PlacesError(ValueError):
    """lexicon/ambiguous_places.yml is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Reading:
    region: str
    label: str
    where: str
    qualifiers: Tuple[str, ...]


@dataclass(frozen=True)
class Place:
    name: str
    default: str
    readings: Dict[str, Reading]

    @property
    def assumed(self) -> Reading:
        return self.readings[self.default]

    @property
    def others(self) -> List[Reading]:
        return [r for code, r in self.readings.items() if code != self.default]


@dataclass(frozen=True)
class Guess:
    """What a message means by an ambiguous name: `said` is False when nothing in the
    message qualified it, so `reading` is the default, assumed."""

    place: Place
    reading: Reading
    said: bool


def load_places(path: Path = PLACES_FILE) -> Dict[str, Place]:
    content = load_yaml(path, PlacesError)
    try:
        jsonschema.validate(content, SCHEMA)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise PlacesError(f"{path}: {where}: {error.message}") from error
    places = {}
    for name, entry in content["places"].items():
        if entry["default"] not in entry["readings"]:
            raise PlacesError(f"{path}: {name}: the default {entry['default']} has no reading")
        readings = {
            code: Reading(code, r["label"], r["where"], tuple(r["qualifiers"])) for code, r in entry["readings"].items()
        }
        places[name] = Place(name, entry["default"], readings)
    return places


@lru_cache(maxsize=1)
def shipped_places() -> Dict[str, Place]:
    return load_places()


def _find(text: str, phrase: str) -> List[Tuple[int, int]]:
    """Where `phrase` occurs as whole words, ignoring case and a full stop inside it."""
    words = [re.escape(w) for w in phrase.replace(".", " ").split()]
    pattern = r"(?<![\w])" + r"\.?\s*".join(words) + r"(?![\w])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def _right_after(text: str, end: int, start: int) -> bool:
    """Whether only a comma, "in", brackets or spaces lie between the name and a qualifier."""
    return re.fullmatch(r"[\s,(]*(?:in\s+)?", text[end:start], re.IGNORECASE) is not None


def read_place(text: str, places: Optional[Dict[str, Place]] = None) -> Optional[Guess]:
    """The first ambiguous place name in `text` and the reading the message points to."""
    places = shipped_places() if places is None else places
    found = sorted((start, end, name) for name in places for start, end in _find(text, name))
    if not found:
        return None
    start, end, name = found[0]
    place = places[name]
    best: Optional[Tuple[int, Reading]] = None
    for reading in place.readings.values():
        for qualifier in reading.qualifiers:
            for q_start, q_end in _find(text, qualifier):
                if start <= q_start < end:
                    continue  # part of the name itself
                adjacent = q_start >= end and _right_after(text, end, q_start)
                if len(qualifier.replace(".", "")) <= SHORT and not adjacent:
                    continue
                distance = 0 if adjacent else min(abs(q_start - end), abs(start - q_end))
                if best is None or distance < best[0]:
                    best = (distance, reading)
    if best is None:
        return Guess(place, place.assumed, said=False)
    return Guess(place, best[1], said=True)


def button(reading: Reading, urgent: bool = False) -> Dict[str, str]:
    """A tap that sets the region; in danger it asks for the danger answer again, so the
    parent gets that region's emergency number first."""
    intent = "immediate_danger" if urgent else "inform_location"
    return {"title": reading.label, "payload": '/%s{"location": "%s"}' % (intent, reading.region)}


def _either(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def assumption_note(guess: Guess, urgent: bool) -> str:
    """Harbour says which place it assumed and how to correct it. In danger, no other
    country's number is given unasked: the button brings the danger answer for there."""
    place = guess.place
    text = f"{OPENING}{place.assumed.label}."
    if urgent:
        labels = _either([o.label for o in place.others])
        return f"{text} The emergency number above is for there. If you're in {labels}, tap below for the number there."
    wheres = _either([o.where for o in place.others])
    return f"{text} If you're in {wheres}, tap below or tell me, and I'll use the answers and services for there."


def switch_note(guess: Guess, emergency: Dict[str, Optional[str]], urgent: bool) -> str:
    """A qualifier further on in the message picked another reading than the default."""
    reading = guess.reading
    text = (
        f"You mentioned {reading.where}, so I've taken it that you mean {reading.label}. "
        f"From now on I'll use the answers and services for there."
    )
    if urgent:
        number = emergency.get(reading.region)
        text += f" There, the emergency number is {number}." if number else " Call your local emergency number."
    return text
