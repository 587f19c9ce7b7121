"""Redaction leaves ordinary messages alone: the training, held-out and crisis messages hold
no personal details apart from the few listed here, so any other change is a false positive."""

import re

from bot.paths import LEXICON
from bot.privacy.redact import redact
from bot.tools.redaction_precision import altered, message_sets
from bot.yamlio import load_yaml

# Training examples that really do contain a detail (web addresses, a boy's first name).
GENUINE = {
    "https://example.com/watch?v=abc123",
    "www.example.org",
    "example.net/page",
    "heart is pounding, just seen that my daughter sent a full nude to a boy called Josh from her school",
}


def test_no_training_held_out_or_crisis_message_is_altered():
    sets = message_sets()
    for name in ("training", "held-out", "crisis"):
        changes = [before for before, _ in altered(redact, sets[name]) if before not in GENUINE]
        assert changes == [], f"{name}: {len(changes)} ordinary messages altered, e.g. {changes[:3]}"


def test_the_genuine_details_in_training_are_still_removed():
    changed = {before for before, _ in altered(redact, message_sets()["training"])}
    assert GENUINE <= changed


def test_blind_sets_are_a_precision_check_only():
    # The blind sets are never used to write rules; they only bound how often redaction
    # changes a message (some of them name a child, and those changes are right: 19 of the
    # 22 changes in the 18 lines altered when the fifth crisis set joined were a name).
    blind = message_sets()["blind"]
    assert len(blind) > 1000
    assert len(altered(redact, blind)) <= len(blind) * 0.015


def test_names_list_follows_its_schema():
    content = load_yaml(LEXICON / "names.yml")
    for key in ("first_names", "surnames"):
        names = content[key]
        assert len(names) >= 100 and len(set(names)) == len(names), key
        assert all(re.fullmatch(r"[a-zë'’-]+", n) for n in names), key
    # words far more often ordinary than a name stay out of the list
    assert not {"will", "may", "mark", "bill", "summer", "hope"} & set(content["first_names"])
