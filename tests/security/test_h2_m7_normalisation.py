"""H2 and M7 at the web door, without a model: Unicode spaces no longer glue words, and
look-alike letters read as Latin before the crisis check, redaction and NLU
(tests/security/test_crisis_variants_stack.py sends the same through the running bot)."""

import pytest

from bot.web.chat import clean_message

BASE = "my 13 year old is missing and not answering her phone"


def test_h2_nbsp_does_not_glue_words():
    assert clean_message("my 13 year old is\u00a0missing") == "my 13 year old is missing"


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u3000", "\u2009", "\u2007", "\u205f"])
def test_h2_every_unicode_space_stays_a_space(space):
    assert clean_message(BASE.replace(" ", space)) == BASE


def test_h2_nbsp_separated_name_is_redacted():
    assert clean_message("my\u00a0daughter\u00a0Chloe\u00a0Smith sent a nude") == "my daughter [name] sent a nude"


@pytest.mark.parametrize(
    "variant",
    [
        BASE.replace("missing", "m\u0456ss\u0456ng"),  # Cyrillic і
        BASE.replace("missing", "m\u0131ss\u0131ng"),  # dotless ı
        BASE.replace("missing", "mi\u0307ssing"),  # combining dot
        "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in BASE),  # full-width
        "".join(chr(0x1D41A + ord(c) - 97) if "a" <= c <= "z" else c for c in BASE),  # mathematical bold
    ],
    ids=["cyrillic-i", "dotless-i", "combining-dot", "full-width", "math-bold"],
)
def test_m7_lookalike_letters_read_as_latin(variant):
    assert clean_message(variant) == BASE


def test_m7_genuine_cyrillic_is_left_as_written():
    assert clean_message("Моя донька зникла, допоможіть") == "Моя донька зникла, допоможіть"
