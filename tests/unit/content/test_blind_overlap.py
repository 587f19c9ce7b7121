"""The blind sets stay blind: none of their lines, or close paraphrases, is in data/.

tests/blind/ was written by helpers who never saw Harbour's data (see each file's
header). If a line from there, or a near copy, turned up in training data, the blind
numbers would measure memory again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

import pytest
import yaml

from bot.nlu_examples import examples, plain_text
from tests.unit.content.test_training_data import normalise

ROOT = Path(__file__).resolve().parents[3]
BLIND = ROOT / "tests" / "blind"
CLOSE = 0.8  # share of words in common (Jaccard) that counts as a close paraphrase
SAME_ORDER = 0.8  # difflib ratio over the words in order: one word changed or added
RARE = 400  # a word in at most this many training lines can point to a near copy
# "hi", "yes", "Scotland", "what is the age of consent": everyone writes the same few
# words, so lines this short are not evidence of copying.
MIN_WORDS_EXACT, MIN_WORDS_CLOSE = 4, 6


def words(text: str) -> frozenset:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")))


# The same normalisation as the held-out check beside it.
normal = normalise


def blind_lines():
    lines = []
    for path in sorted(BLIND.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []) or []:
            lines += [l.strip()[2:] for l in str(block.get("examples", "")).splitlines() if l.strip()]
        for part in ("crisis", "near_miss"):
            lines += [item["text"] for item in data.get(part, []) or []]
        for journey in data.get("journeys", []) or []:  # journeys.yml: what each parent types
            lines += [str(turn) for turn in journey.get("turns") or []]
            lines += [str(fact) for fact in (journey.get("facts") or {}).values()]
    return lines


def training_lines():
    return [plain_text(text) for rows in examples(ROOT / "data" / "nlu").values() for text, _ in rows]


def test_every_blind_file_says_how_and_when_it_was_written():
    # journeys_disputed.yml is not a blind set: it lists journeys the sources contradict.
    for path in sorted(p for p in BLIND.glob("*.yml") if not p.name.endswith("_disputed.yml")):
        header = "".join(l for l in path.read_text(encoding="utf-8").splitlines(True)[:6] if l.startswith("#"))
        assert "helper" in header and re.search(r"20\d\d", header), (
            f"{path.name}: header must say who wrote it and when"
        )


def same_order(a, b) -> bool:
    """Most words the same and in the same order (the cheap upper bounds first)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SAME_ORDER
        and matcher.quick_ratio() >= SAME_ORDER
        and matcher.ratio() >= SAME_ORDER
    )


def close_copies(blind, training):
    """(blind line, training line) pairs that are copies or close paraphrases."""
    index = defaultdict(set)
    shapes = []
    for number, text in enumerate(training):
        shape = words(text)
        shapes.append((shape, normal(text).split(), text))
        for word in shape:
            index[word].add(number)
    exact = {normal(t) for t in training}
    found = []
    for line in blind:
        mine, order = words(line), normal(line).split()
        if normal(line) in exact and len(mine) >= MIN_WORDS_EXACT:
            found.append((line, line))
            continue
        if len(mine) < MIN_WORDS_CLOSE:
            continue
        # Candidates share at least one word that few training lines use; then compare exactly.
        rare = [w for w in mine if len(index.get(w, ())) <= RARE]
        candidates = set().union(*(index.get(w, set()) for w in rare)) if rare else set()
        for number in candidates:
            theirs, their_order, text = shapes[number]
            count = len(mine & theirs)
            if count / len(mine | theirs) >= CLOSE or (count >= 0.6 * len(mine) and same_order(order, their_order)):
                found.append((line, text))
                break
    return found


def test_the_journeys_turns_are_checked_too():
    assert "what if he already sent her 50 quid last night" in blind_lines()


@pytest.mark.skipif(not BLIND.exists(), reason="no blind sets")
def test_no_blind_line_or_close_paraphrase_is_in_training_data():
    found = close_copies(blind_lines(), training_lines())
    assert not found, f"blind lines copied or closely paraphrased in data/nlu/: {found[:5]}"


def test_the_overlap_check_catches_one_changed_word():
    training = ["is it illegal for two 15 year olds to have sex"]
    assert close_copies(["is it illegal for two 15 year olds to have sex with each other"], training)
    assert close_copies(
        ["at what age should I talk to my kids about sending pictures"],
        ["at what age should I talk to my kids about sexting"],
    )
    assert not close_copies(["what should i do if my son is being blackmailed online"], training)


def test_no_blind_line_is_a_crisis_pattern():
    source = (ROOT / "bot" / "nlu" / "crisis.py").read_text(encoding="utf-8").lower()
    long_lines = [normal(l) for l in blind_lines() if len(l) > 25]
    assert not [l for l in long_lines if l and l in normal(source)]
