"""The NLU data honours the intent contract, and held-out examples stay held out."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot import nlu_examples
from bot.paths import ROOT
from bot.topics import CONTRACT, CONVERSATION_SECTIONS, SECTION_FILES, all_topics, topics_by_section

SHARED_CONTRACT = ROOT.parent / "shared" / "design" / "topics.md"


def examples(folder: Path):
    """{intent: [example, ...]} from every NLU file in a folder."""
    return {intent: [text for text, _ in items] for intent, items in nlu_examples.examples(folder).items()}


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


TRAINING = examples(ROOT / "data" / "nlu")
HELD_OUT = examples(ROOT / "tests" / "nlu")


@pytest.mark.skipif(not SHARED_CONTRACT.exists(), reason="shared/ is not beside this clone")
def test_contract_copy_matches_shared_design():
    assert CONTRACT.read_text() == SHARED_CONTRACT.read_text(), (
        "docs/topics.md differs from shared/design/topics.md: copy the new contract in"
    )


def test_one_nlu_file_per_contract_section():
    sections = topics_by_section()
    assert set(sections) == set(SECTION_FILES)
    for section, names in sections.items():
        path = ROOT / "data" / "nlu" / f"{SECTION_FILES[section]}.yml"
        in_file = {b["intent"] for b in yaml.safe_load(path.read_text())["nlu"]}
        assert set(names) <= in_file, f"{path.name} lacks {set(names) - in_file}"


def test_every_contract_intent_is_in_the_domain_with_its_exact_name():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert set(all_topics()) <= set(domain["intents"])


@pytest.mark.parametrize("section,names", topics_by_section().items())
def test_enough_training_examples(section, names):
    minimum = 12 if section in CONVERSATION_SECTIONS else 25
    for name in names:
        assert len(TRAINING.get(name, [])) >= minimum, f"{name}: fewer than {minimum} examples"


def test_at_least_five_held_out_examples_per_topic():
    short = {t: len(HELD_OUT.get(t, [])) for t in all_topics() if len(HELD_OUT.get(t, [])) < 5}
    assert not short, f"topics with fewer than 5 held-out examples: {short}"


def test_held_out_examples_never_appear_in_training_data():
    trained = {normalise(e) for exs in TRAINING.values() for e in exs}
    leaked = [e for exs in HELD_OUT.values() for e in exs if normalise(e) in trained]
    assert not leaked, f"held-out examples also in data/nlu: {leaked}"


def test_no_training_example_is_listed_twice():
    counts = Counter(normalise(e) for exs in TRAINING.values() for e in exs)
    assert not [e for e, n in counts.items() if n > 1]
