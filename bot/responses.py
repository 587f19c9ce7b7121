"""Loads every response Harbour can send: domain.yml plus data/responses/*.yml."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import yaml

from bot.paths import DATA, ROOT


def load_responses(root: Path = ROOT) -> Dict[str, List[dict]]:
    responses: Dict[str, List[dict]] = {}
    files = [root / "domain.yml", *sorted((root / "data" / "responses").glob("*.yml"))]
    for path in files:
        for name, variations in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            if name in responses:
                raise ValueError(f"{path}: response {name} is defined twice")
            responses[name] = variations
    return responses


def content_response_files(root: Path = ROOT) -> List[Path]:
    return sorted((root / "data" / "responses").glob("*.yml"))


def pick_variation(responses: Dict[str, List[dict]], name: str, slots: Dict[str, object]) -> dict:
    """The variation Rasa sends for these slot values: the one whose conditions all match,
    else the default. Two matches would make Rasa choose at random, so that is an error."""
    variations = responses[name]
    matching = [
        v for v in variations if v.get("condition")
        and all(slots.get(c["name"]) == c["value"] for c in v["condition"])
    ]
    if len(matching) > 1:
        raise ValueError(f"{name}: {len(matching)} variations match {slots}; Rasa would pick at random")
    if matching:
        return matching[0]
    defaults = [v for v in variations if not v.get("condition")]
    if len(defaults) != 1:
        raise ValueError(f"{name}: needs exactly one variation without a condition")
    return defaults[0]
