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
