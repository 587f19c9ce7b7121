"""Harbour's own data checks, run by `make validate` (and so by `make test`).

Each problem is reported with the file and the intent it concerns, e.g.
  data/nlu/images_sexting.yml: intent 'new_topic' has 3 training examples; needs at least 20
Exit status 1 when anything is wrong, so unfinished work can never ship.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

from bot.nlu_examples import examples, plain_text
from bot.paths import ROOT
from bot.regions import PLACE_CODES, REGION_CODES, UK
from bot.tools.content_safety import unsafe_advice
from bot.tools.responses import load_responses
from bot.topics import additions, all_topics
from bot.yamlio import load_yaml

MIN_TRAINING = 20
MIN_HELD_OUT = 3
UNFINISHED = "UNFINISHED"


def _yaml(path: Path) -> dict:
    return load_yaml(path)


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def _examples(folder: Path, root: Path) -> Dict[str, List[tuple]]:
    """{intent: [(example, file), ...]}"""
    return {intent: [(text, _rel(path, root)) for text, path in items] for intent, items in examples(folder).items()}


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", plain_text(text).lower()).strip()


def _steps(folder: Path, key: str) -> List[tuple]:
    """(file name, [steps]) for every rule or story in a folder."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in _yaml(path).get(key, []) or []:
            found.append((path.name, item.get("steps", [])))
    return found


def check(root: Path = ROOT) -> List[str]:
    problems: List[str] = []
    domain = _yaml(root / "domain.yml")
    intents = list(domain.get("intents", []))
    added = additions(root / "docs" / "intent_additions.yml")
    known = set(all_topics(root / "docs" / "topics.md")) | set(added)
    # Set by an NLU component (the crisis tiers), never learned: nothing to train or hold out.
    untrained = {name for name, entry in added.items() if entry.get("set_by")}
    training = _examples(root / "data" / "nlu", root)
    held_out = _examples(root / "tests" / "nlu", root)

    for intent in intents:
        if intent not in known:
            problems.append(f"domain.yml: intent '{intent}' is not in docs/topics.md or docs/intent_additions.yml")
        where = training[intent][0][1] if training.get(intent) else "data/nlu/"
        if intent in untrained:
            continue
        if len(training.get(intent, [])) < MIN_TRAINING:
            problems.append(
                f"{where}: intent '{intent}' has {len(training.get(intent, []))} training examples; needs at least {MIN_TRAINING}"
            )
        if len(held_out.get(intent, [])) < MIN_HELD_OUT:
            problems.append(
                f"tests/nlu/: intent '{intent}' has {len(held_out.get(intent, []))} held-out examples; needs at least {MIN_HELD_OUT}"
            )
    for intent in training:
        if intent not in intents:
            problems.append(f"{training[intent][0][1]}: intent '{intent}' has examples but is not in domain.yml")

    seen: Dict[str, tuple] = {}
    for intent, items in training.items():
        for text, file in items:
            key = _normal(text)
            if key in seen:
                other_intent, other_file = seen[key]
                where = "twice" if other_intent == intent else f"under '{other_intent}' ({other_file}) too"
                problems.append(f"{file}: intent '{intent}': example '{text}' appears {where}")
            else:
                seen[key] = (intent, file)
    for intent, items in held_out.items():
        for text, file in items:
            if _normal(text) in seen:
                problems.append(f"{file}: intent '{intent}': held-out example '{text}' is also training data")

    try:
        loaded = load_responses(root, with_files=True)
    except ValueError as error:
        problems.append(str(error))
        loaded = {}
    responses = {name: (variations, _rel(path, root)) for name, (variations, path) in loaded.items()}
    actions = set(domain.get("actions", []) or []) | set(domain.get("forms", {}) or {}) | set(DEFAULT_ACTION_NAMES)
    answered, e2e = defaultdict(set), set()
    for _file, steps in _steps(root / "data" / "rules", "rules") + _steps(root / "data" / "stories", "stories"):
        current = None
        for step in steps:
            if "intent" in step:
                current = step["intent"]
            elif "action" in step and current:
                answered[current].add(step["action"])
    for _file, steps in _steps(root / "tests" / "stories", "stories"):
        # An intent set by a component (no text predicts it alone) is tested by its intent.
        e2e |= {s["intent"] for s in steps if "intent" in s and ("user" in s or s["intent"] in untrained)}
    for intent in intents:
        if not answered.get(intent):
            problems.append(f"data/rules/: intent '{intent}' has no rule or story that answers it")
        for action in answered.get(intent, ()):
            if action not in responses and action not in actions:
                problems.append(
                    f"data/rules/: intent '{intent}' uses '{action}', which is not a response, a domain action or form, or a Rasa default action"
                )
        if intent not in e2e:
            problems.append(f"tests/stories/: intent '{intent}' has no end-to-end test story")

    for name, (variations, file) in responses.items():
        for variation in variations:
            for sentence in unsafe_advice(str(variation.get("text") or "")):
                problems.append(f"{file}: response '{name}' advises handling the image or paying: {sentence!r}")
        if not file.startswith("data/responses/") or name in ("utter_inform_age", "utter_inform_location"):
            continue
        for variation in variations:
            meta = variation.get("metadata") or {}
            if not meta.get("sources"):
                problems.append(f"{file}: response '{name}' has no metadata.sources")
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(meta.get("reviewed", ""))):
                problems.append(f"{file}: response '{name}' has no metadata.reviewed date (YYYY-MM-DD)")

    for folder in ("data", "directory", "lexicon", "docs", "tests/nlu", "tests/stories"):
        for path in sorted((root / folder).rglob("*.yml")):
            for number, line in _unfinished(path):
                problems.append(f"{_rel(path, root)}:{number}: unfinished scaffold text: {line[:80]}")
    for number, _ in _unfinished(root / "domain.yml"):
        problems.append(f"domain.yml:{number}: unfinished scaffold text")

    problems += _region_problems(domain)
    problems += _directory_problems(root)
    return problems


def _unfinished(path: Path) -> List[tuple]:
    """(line number, line) for every line the scaffold left UNFINISHED (comments aside)."""
    return [
        (number, line.strip())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNFINISHED in line and not line.lstrip().startswith("#")
    ]


def _region_problems(domain: dict) -> List[str]:
    """domain.yml cannot import bot/regions.py, so its region lists are checked against it."""
    problems = []
    slot = (domain.get("slots") or {}).get("location") or {}
    if list(slot.get("values") or []) != list(PLACE_CODES):
        problems.append(f"domain.yml: slot 'location' values must be {list(PLACE_CODES)} (bot/regions.py)")
    asked = set()
    for variation in (domain.get("responses") or {}).get("utter_ask_location") or []:
        for button in variation.get("buttons") or []:
            asked |= set(re.findall(r'"location": "([^"]+)"', str(button.get("payload", ""))))
    if asked and asked | {UK} != set(REGION_CODES):
        problems.append(
            f"domain.yml: utter_ask_location buttons must offer every region in bot/regions.py but {UK}; they offer {sorted(asked)}"
        )
    return problems


def _directory_problems(root: Path) -> List[str]:
    from bot.services.directory import load_services
    from bot.services.entries import DirectoryError
    from bot.services.schools import SCHOOL_TOPICS, load_schools

    found = []
    for load, path in (
        (load_services, root / "directory" / "services.yml"),
        (load_schools, root / "directory" / "schools.yml"),
    ):
        try:
            load(path)
        except DirectoryError as error:
            found.append(str(error))
    topics = set(all_topics(root / "docs" / "topics.md"))
    found += [
        f"bot/services/schools.py: SCHOOL_TOPICS names '{t}', which is not in docs/topics.md"
        for t in sorted(SCHOOL_TOPICS - topics)
    ]
    return found


def main() -> int:
    problems = check()
    for problem in problems:
        print(f"  - {problem}")
    print(f"harbour validate: {len(problems)} problem(s)" if problems else "harbour validate: all checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
