"""The one loader of responses: every response Harbour can send, from domain.yml plus
data/responses/*.yml, and the variation Rasa would pick for given slots. Used by the
validator, the tests and the journey checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple, Union

from bot.paths import ROOT
from bot.yamlio import load_yaml


def response_files(root: Path = ROOT) -> List[Path]:
    return [root / "domain.yml", *content_response_files(root)]


def load_responses(
    root: Path = ROOT, with_files: bool = False
) -> Dict[str, Union[List[dict], Tuple[List[dict], Path]]]:
    """{name: [variation, ...]}, or {name: ([variation, ...], file)} with `with_files`.
    A response defined twice is an error naming both places."""
    responses: Dict[str, Tuple[List[dict], Path]] = {}
    for path in response_files(root):
        for name, variations in (load_yaml(path).get("responses") or {}).items():
            if name in responses:
                raise ValueError(f"{path}: response {name} is defined twice (also in {responses[name][1]})")
            responses[name] = (variations, path)
    if with_files:
        return responses
    return {name: variations for name, (variations, _) in responses.items()}


def content_response_files(root: Path = ROOT) -> List[Path]:
    return sorted((root / "data" / "responses").glob("*.yml"))


def pick_variation(responses: Dict[str, List[dict]], name: str, slots: Dict[str, object]) -> dict:
    """The variation Rasa sends for these slot values: the one whose conditions all match,
    else the default. Two matches would make Rasa choose at random, so that is an error."""
    variations = responses[name]
    matching = [
        v for v in variations if v.get("condition") and all(slots.get(c["name"]) == c["value"] for c in v["condition"])
    ]
    if len(matching) > 1:
        raise ValueError(f"{name}: {len(matching)} variations match {slots}; Rasa would pick at random")
    if matching:
        return matching[0]
    defaults = [v for v in variations if not v.get("condition")]
    if len(defaults) != 1:
        raise ValueError(f"{name}: needs exactly one variation without a condition")
    return defaults[0]
