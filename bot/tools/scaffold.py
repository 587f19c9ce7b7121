"""Creates a new intent in every file it needs, marked UNFINISHED until a person fills it.

    make intent NAME=gaming_chat_safety SECTION=images_sexting

Writes the NLU block, held-out examples, the domain entry, a response with source and
review metadata fields, a rule, an end-to-end test story and an entry in
docs/intent_additions.yml. `make validate` fails until every UNFINISHED line is replaced.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bot.paths import ROOT
from bot.topics import SECTION_FILES, additions, all_topics
from bot.yamlio import load_yaml

MARK = "UNFINISHED"


class ScaffoldError(ValueError):
    pass


def _append(path: Path, text: str) -> None:
    if not path.exists():
        raise ScaffoldError(f"{path.relative_to(ROOT)} does not exist")
    current = path.read_text(encoding="utf-8")
    path.write_text(current.rstrip("\n") + "\n" + text, encoding="utf-8")


def _add_to_domain(path: Path, name: str) -> None:
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^intents:\n((?:  .*\n|\n)*?)(?=^\S)", text, re.M)
    if not match:
        raise ScaffoldError("domain.yml has no intents: block")
    block = match.group(1).rstrip("\n") + f"\n  - {name}  # added with make intent\n\n"
    path.write_text(text[: match.start(1)] + block + text[match.end(1) :], encoding="utf-8")


def _add_to_additions(path: Path, name: str, section: str) -> None:
    text = path.read_text(encoding="utf-8").replace("additions: []", "additions:")
    entry = (
        f'  - intent: {name}\n    section: {section}\n    meaning: "{MARK}: what the parent is asking, in one line"\n'
    )
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def scaffold(name: str, section: str, root: Path = ROOT) -> list:
    if not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise ScaffoldError(f"NAME must be snake_case, got {name!r}")
    if section not in SECTION_FILES.values():
        raise ScaffoldError(f"SECTION must be one of {', '.join(SECTION_FILES.values())}")
    domain = load_yaml(root / "domain.yml")
    if name in domain.get("intents", []) or name in all_topics() or name in additions():
        raise ScaffoldError(f"intent {name!r} already exists")

    nlu = root / "data" / "nlu" / f"{section}.yml"
    _append(
        nlu, f"- intent: {name}\n  examples: |\n    - {MARK}: write at least 20 varied examples of what parents type\n"
    )
    held_out = root / "tests" / "nlu" / f"test_{section}.yml"
    _append(
        held_out,
        f"- intent: {name}\n  examples: |\n    - {MARK}: write at least 3 new examples that are not in data/nlu\n",
    )
    _add_to_domain(root / "domain.yml", name)
    responses = root / "data" / "responses" / f"{section}.yml"
    _append(
        responses,
        (
            f"\n  utter_{name}:\n"
            f'    - text: "{MARK}: what to do now (1-3 steps), what not to do, and a line of reassurance"\n'
            f"      metadata:\n"
            f"        sources: []  # {MARK}: URLs from shared/reference/ or pages you checked\n"
            f'        reviewed: "{MARK}"  # the date a person checked this answer, YYYY-MM-DD\n'
        ),
    )
    rules = root / "data" / "rules" / f"{section}.yml"
    _append(
        rules,
        f"- rule: answer {name}\n  steps:\n  - intent: {name}\n  - action: utter_{name}\n  - action: action_recommend_support\n  - action: utter_ask_helpful\n",
    )
    stories = root / "tests" / "stories" / f"test_{section}.yml"
    _append(
        stories,
        (
            f"- story: {name.replace('_', ' ')}\n  steps:\n  - user: |\n      {MARK}: a real message a parent might send\n"
            f"    intent: {name}\n  - action: utter_{name}\n  - action: action_recommend_support\n  - action: utter_ask_helpful\n"
        ),
    )
    _add_to_additions(root / "docs" / "intent_additions.yml", name, section)
    return [
        p.relative_to(root)
        for p in (nlu, held_out, root / "domain.yml", responses, rules, stories, root / "docs" / "intent_additions.yml")
    ]


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: make intent NAME=<snake_case_name> SECTION=<section file stem>", file=sys.stderr)
        return 2
    try:
        changed = scaffold(*args)
    except ScaffoldError as error:
        print(f"make intent: {error}", file=sys.stderr)
        return 2
    print(f"Created intent '{args[0]}'. Fill every {MARK} line in:")
    for path in changed:
        print(f"  {path}")
    print("Then run: make validate test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
