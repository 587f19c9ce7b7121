"""Reads the intent contract (docs/topics.md, a copy of shared/design/topics.md) and the
intents added beyond it (docs/intent_additions.yml)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

from bot.paths import DOCS
from bot.yamlio import load_yaml

CONTRACT = DOCS / "topics.md"
# Sections whose topics are "conversation topics" (12 training examples suffice).
CONVERSATION_SECTIONS = {"Conversation"}
# Each section of the contract has one file of the same stem under data/nlu/,
# data/responses/, data/rules/, tests/nlu/test_<stem>.yml and tests/stories/test_<stem>.yml.
SECTION_FILES = {
    "Images and sexting": "images_sexting",
    "Consent and relationships": "consent_relationships",
    "Harmful sexual behaviour and abuse": "harmful_behaviour",
    "Help for the parent": "parent_help",
    "Telling the bot about the situation": "situation",
    "Conversation": "conversation",
}
ADDITIONS = DOCS / "intent_additions.yml"
_ROW = re.compile(r"^\|\s*`([a-z_]+)`\s*\|")


def topics_by_section(path: Path = CONTRACT) -> Dict[str, List[str]]:
    """{"Images and sexting": ["nude_shared_by_child", ...], ...}; entity tables are skipped."""
    sections: Dict[str, List[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            continue
        match = _ROW.match(line)
        if match and current and not current.lower().startswith("entities"):
            sections.setdefault(current, []).append(match.group(1))
    return sections


def all_topics(path: Path = CONTRACT) -> List[str]:
    return [t for names in topics_by_section(path).values() for t in names]


def content_topics(path: Path = CONTRACT) -> List[str]:
    """Topics that get a content answer: all but conversation and telling the bot facts."""
    return [
        topic
        for section, names in topics_by_section(path).items()
        if section not in ("Conversation", "Telling the bot about the situation")
        for topic in names
    ]


def additions(path: Path = ADDITIONS) -> Dict[str, dict]:
    """Intents added beyond the contract: {name: {"section": ..., "meaning": ...}}."""
    if not path.exists():
        return {}
    entries = load_yaml(path).get("additions") or []
    return {entry["intent"]: entry for entry in entries}
