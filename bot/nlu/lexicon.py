"""Loads and checks the word lists in lexicon/ that the entity rules read.

A broken lexicon fails loudly at load time, naming the file and the problem, so a
maintainer's typo never turns into an entity that silently stops being recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import jsonschema

from bot.paths import LEXICON
from bot.regions import PLACE_CODES, REGION_CODES
from bot.yamlio import load_yaml

_STR_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}

SCHEMAS = {
    "locations.yml": {
        "type": "object",
        "required": ["regions", "case_sensitive", "needs_preposition"],
        "additionalProperties": False,
        "properties": {
            "regions": {
                "type": "object",
                "propertyNames": {"enum": list(PLACE_CODES)},
                "additionalProperties": _STR_LIST,
            },
            "case_sensitive": {
                "type": "object",
                "additionalProperties": {"enum": list(REGION_CODES)},
            },
            "needs_preposition": _STR_LIST,
        },
    },
    "platforms.yml": {
        "type": "object",
        "required": ["platforms", "needs_context"],
        "additionalProperties": False,
        "properties": {
            "platforms": {
                "type": "object",
                "propertyNames": {"pattern": "^[a-z][a-z0-9]*$"},
                "additionalProperties": _STR_LIST,
            },
            "needs_context": _STR_LIST,
        },
    },
    "relations.yml": {
        "type": "object",
        "required": ["relations", "needs_possessive"],
        "additionalProperties": False,
        "properties": {
            "relations": {"type": "object", "additionalProperties": _STR_LIST},
            "needs_possessive": _STR_LIST,
        },
    },
    "ages.yml": {
        "type": "object",
        "required": ["number_words", "school_years", "min_age", "max_age", "bands"],
        "additionalProperties": False,
        "properties": {
            "number_words": {"type": "object", "additionalProperties": {"type": "integer"}},
            "school_years": {"type": "object", "additionalProperties": {"type": "integer"}},
            "min_age": {"type": "integer", "minimum": 0},
            "max_age": {"type": "integer", "maximum": 120},
            "bands": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["name", "max"],
                    "properties": {"name": {"type": "string"}, "max": {"type": "integer"}},
                },
            },
        },
    },
}


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Lexicon:
    """Every word list the entity rules need, already lower-cased and cross-checked."""

    places: Dict[str, str]  # lower-case name -> region code
    places_exact: Dict[str, str]  # exact spelling -> region code
    places_need_preposition: frozenset
    platforms: Dict[str, str]  # lower-case name -> platform id
    platforms_need_context: frozenset
    relations: Dict[str, str]  # lower-case word -> canonical relation
    relations_need_possessive: frozenset
    number_words: Dict[str, int]
    school_years: Dict[str, int]  # prefix -> years to add
    age_range: Tuple[int, int]
    age_bands: Tuple[Tuple[str, int], ...]  # (name, highest age in band), ascending

    def age_band(self, age: int) -> str:
        for name, highest in self.age_bands:
            if age <= highest:
                return name
        return self.age_bands[-1][0]


def _read(directory: Path, name: str) -> dict:
    path = directory / name
    content = load_yaml(path, LexiconError)
    try:
        jsonschema.validate(content, SCHEMAS[name])
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise LexiconError(f"{path}: {where}: {error.message}") from error
    return content


def _invert(groups: Dict[str, List[str]], file: str) -> Dict[str, str]:
    """Maps every listed name to its group, refusing a name listed under two groups."""
    inverted: Dict[str, str] = {}
    for canonical, names in groups.items():
        for name in names:
            key = name.lower()
            if key in inverted and inverted[key] != canonical:
                raise LexiconError(f"{file}: '{name}' is listed under both '{inverted[key]}' and '{canonical}'")
            inverted[key] = canonical
    return inverted


def _require_known(words: List[str], known: Dict[str, str], file: str, key: str) -> frozenset:
    unknown = sorted(w for w in words if w.lower() not in known)
    if unknown:
        raise LexiconError(f"{file}: {key} lists words that are not names: {', '.join(unknown)}")
    return frozenset(w.lower() for w in words)


def load_lexicon(directory: Path = LEXICON) -> Lexicon:
    locations = _read(directory, "locations.yml")
    platforms = _read(directory, "platforms.yml")
    relations = _read(directory, "relations.yml")
    ages = _read(directory, "ages.yml")

    places = _invert(locations["regions"], "locations.yml")
    platform_names = _invert(platforms["platforms"], "platforms.yml")
    relation_words = _invert(relations["relations"], "relations.yml")

    if ages["min_age"] >= ages["max_age"]:
        raise LexiconError("ages.yml: min_age must be below max_age")
    bands = tuple((band["name"], band["max"]) for band in ages["bands"])
    if [b[1] for b in bands] != sorted(b[1] for b in bands):
        raise LexiconError("ages.yml: bands must be listed from youngest to oldest")

    return Lexicon(
        places=places,
        places_exact=dict(locations["case_sensitive"]),
        places_need_preposition=_require_known(
            locations["needs_preposition"], places, "locations.yml", "needs_preposition"
        ),
        platforms=platform_names,
        platforms_need_context=_require_known(
            platforms["needs_context"], platform_names, "platforms.yml", "needs_context"
        ),
        relations=relation_words,
        relations_need_possessive=_require_known(
            relations["needs_possessive"], relation_words, "relations.yml", "needs_possessive"
        ),
        number_words={k.lower(): v for k, v in ages["number_words"].items()},
        school_years={k.lower(): v for k, v in ages["school_years"].items()},
        age_range=(ages["min_age"], ages["max_age"]),
        age_bands=bands,
    )
