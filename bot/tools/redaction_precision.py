"""Counts the ordinary messages redaction alters: a parent's words must reach the bot as written.

Reads the training examples (data/nlu/), the held-out examples (tests/nlu/), the crisis
lists (tests/crisis/) and, as a precision check only (never to tune the rules), the blind
sets (tests/blind/). None of them holds a personal detail, so every change is a false
positive. Used by tests/unit/privacy/test_redaction_precision.py and docs/redaction.md.

    python -m bot.tools.redaction_precision      # prints the count per set and each change
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Dict, List, Tuple

from bot.nlu_examples import examples, plain_text
from bot.paths import DATA, ROOT
from bot.yamlio import load_yaml

TESTS = ROOT / "tests"


def _blind() -> List[str]:
    texts: List[str] = []
    for path in sorted((TESTS / "blind").glob("*.yml")):
        content = load_yaml(path)
        for block in content.get("nlu", []) or []:
            texts += [line.strip()[2:].strip() for line in str(block.get("examples", "")).splitlines() if line.strip()]
        texts += [item["text"] for item in content.get("crisis", []) or [] if isinstance(item, dict) and "text" in item]
    return texts


def message_sets() -> Dict[str, List[str]]:
    """{set name: [message, ...]} of ordinary messages with no personal details in them."""

    def nlu(folder: Path) -> List[str]:
        return [plain_text(text) for items in examples(folder).values() for text, _ in items]

    crisis = [
        line.strip()
        for name in ("crisis.txt", "not_crisis.txt")
        for line in (TESTS / "crisis" / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return {"training": nlu(DATA / "nlu"), "held-out": nlu(TESTS / "nlu"), "crisis": crisis, "blind": _blind()}


def altered(redact: Callable[[str], str], texts: List[str]) -> List[Tuple[str, str]]:
    return [(text, result) for text in texts if (result := redact(text)) != text]


def main() -> int:
    from bot.privacy.redact import redact

    for name, texts in message_sets().items():
        changes = altered(redact, texts)
        print(f"{name}: {len(changes)} of {len(texts)} altered")
        for before, after in changes:
            print(f"  - {before}\n    {after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
