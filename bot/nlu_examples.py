"""The one reader of Rasa NLU example files (data/nlu/, tests/nlu/) and their entity
annotations: the validator, the tests, the benchmark and redaction's vocabulary use it."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from bot.yamlio import load_yaml

# "[text]{...}", "[text][{...}, {...}]" or "[text](entity)"
ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\)|\[[^\]]*\])")


def plain_text(text: str) -> str:
    """The message as the parent typed it, annotations removed."""
    return ANNOTATION.sub(r"\1", text).strip()


def annotated_entities(text: str) -> Dict[str, str]:
    """{entity: value} from the JSON annotations in an example."""
    found: Dict[str, str] = {}
    for match in ANNOTATION.finditer(text):
        raw = match.group(2)
        if raw.startswith("("):
            continue
        for item in json.loads(raw) if raw.startswith("[") else [json.loads(raw)]:
            found[item["entity"]] = item["value"]
    return found


def examples(folder: Path) -> Dict[str, List[Tuple[str, Path]]]:
    """{intent: [(example as written, file), ...]} for every *.yml in a folder."""
    found: Dict[str, List[Tuple[str, Path]]] = defaultdict(list)
    for path in sorted(folder.glob("*.yml")):
        for block in load_yaml(path).get("nlu", []) or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                if line.strip():
                    found[block["intent"]].append((line.strip()[2:].strip(), path))
    return found
