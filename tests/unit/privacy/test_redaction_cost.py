"""Redaction's cost is bounded: hostile 1,000-character messages (random emoji or
punctuation with no spaces, which make spaCy's tokenizer quadratic) cost about what
ordinary prose does, and cost grows linearly with length. Ratios, not wall-clock limits."""

import random
import time

import pytest

from bot.web.chat import clean_message

PROSE = "my son is fourteen and he sent a picture of himself to a girl in his class, what now? "


def _cost(make, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        text = make()  # a fresh random string each time: spaCy caches what it has seen
        start = time.perf_counter()
        clean_message(text)
        best = min(best, time.perf_counter() - start)
    return best


def _random(alphabet, n):
    return lambda: "".join(random.choice(alphabet) for _ in range(n))


HOSTILE = {
    "emoji": ["\U0001f600", "\U0001f601", "\U0001f602", "!"],
    "punctuation": list("!?"),
    "dots": list(".,;:"),
    "digits-and-dashes": list("1-/."),
    "at-signs": list("a@."),
    "nfkc-expanding": ["\ufdfa", "\u3300", "\u33ff", "!"],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_1000_character_message_costs_about_what_prose_does(name):
    clean_message(PROSE)  # load the word lists first
    prose = _cost(lambda: "".join(random.choice(PROSE.split()) + " " for _ in range(200))[:1000])
    hostile = _cost(_random(HOSTILE[name], 1000))
    # Before the fix a random-emoji message cost about 150 times a prose one.
    assert hostile < 20 * prose + 0.002, (name, hostile, prose)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_cost_grows_linearly_with_length(name):
    clean_message(PROSE)
    short = _cost(_random(HOSTILE[name], 250))
    long = _cost(_random(HOSTILE[name], 1000))
    # 4 times the length: quadratic work would cost 16 times as much.
    assert long < 8 * short + 0.002, (name, long, short)
