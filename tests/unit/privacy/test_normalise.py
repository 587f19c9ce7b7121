"""Text normalisation: what the crisis check, redaction and NLU read is what the parent meant."""

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy.normalise import confusables, normalise
from bot.web.chat import clean_message

BASE = "my 13 year old is missing and not answering her phone"


@pytest.mark.parametrize(
    "variant",
    [
        BASE.replace(" ", "\u00a0"),  # no-break space (pasted from a document)
        BASE.replace(" ", "\u202f"),  # narrow no-break space (French typography)
        BASE.replace(" ", "\u3000"),  # ideographic space (Japanese and Chinese input)
        BASE.replace(" ", "\u2009"),  # thin space
        BASE.replace(" ", "\u2007"),  # figure space
        "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in BASE),  # full-width
        BASE.replace("missing", "m\u0456ss\u0456ng"),  # Cyrillic і
        BASE.replace("missing", "m\u0131ss\u0131ng"),  # Turkish dotless ı
        BASE.replace("missing", "mi\u0307ssing"),  # combining dot above
        BASE.replace("phone", "\u0440h\u043en\u0435"),  # Cyrillic р, о, е
        BASE.replace("missing", "m\u03b9ss\u03b9ng"),  # Greek ι
        "".join(chr(0x1D41A + ord(c) - 97) if "a" <= c <= "z" else c for c in BASE),  # mathematical bold
        "".join(chr(0x1D44E + ord(c) - 97) if "a" <= c <= "z" and c != "h" else c for c in BASE),  # italic
        BASE.replace("missing", "mis\u200bsing"),  # zero-width space inside a word
        BASE.replace("missing", "miss\u00ading"),  # soft hyphen
        BASE.replace(" ", "\u200b"),  # zero-width spaces as the only word breaks
        BASE.replace("missing", "mis\u2060sing\u200d"),  # word joiner, zero-width joiner
        BASE.replace("missing", "\u202emissing\u202c"),  # bidi controls
    ],
)
def test_variants_of_a_danger_message_read_as_the_plain_message(variant):
    assert normalise(variant) == BASE


def test_spaces_never_vanish_so_words_are_not_glued():
    assert normalise("is\u00a0missing") == "is missing"
    assert "ismissing" not in normalise("my 13 year old is\u00a0missing")
    assert normalise("line one\u2028line two\u2029three\r\nfour\rfive") == "line one\nline two\nthree\nfour\nfive"


@pytest.mark.parametrize(
    "text",
    [
        "Моя донька зникла, допоможіть",  # Ukrainian
        "Мой сын пропал, он не отвечает",  # Russian
        "Moja córka zaginęła, pomocy",  # Polish
        "ابنتي مفقودة ولا ترد على هاتفها",  # Arabic
        "Η κόρη μου λείπει από το σπίτι",  # Greek
        "میخواهم با کسی صحبت کنم، دخترم گم شده",  # Persian
        "मेरी बेटी घर नहीं आई",  # Hindi
        "Mi hijo envió una foto desnuda, ¿qué hago?",  # Spanish
        "Kızım kayıp, telefonu açmıyor",  # Turkish with genuine ı in mixed words
        "my daughter Олена is missing",  # a Cyrillic name in an English message
        "👨‍👩‍👧 we are a family of three",
    ],
)
def test_genuine_non_latin_text_reaches_the_bot_readable(text):
    result = normalise(text)
    # Nothing from the script is lost: every non-Latin letter word is still there as written
    # (Turkish words mixing ASCII letters and ı are the one case folded, and stay readable).
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        if letters and not any(c.isascii() for c in letters) and "\u200d" not in word:
            assert word in result.split(), (word, result)
    assert len(result) >= len(text) - 3


def test_non_latin_text_keeps_its_script():
    assert normalise("Моя донька зникла") == "Моя донька зникла"
    assert normalise("Η κόρη μου λείπει") == "Η κόρη μου λείπει"
    # the zero-width non-joiner a Persian word needs is kept
    assert "\u200c" in normalise("می\u200cخواهم")


def test_digits_from_other_scripts_become_ascii():
    assert normalise("رقمه ٠٧٧٠٠ ٩٠٠١٢٣") == "رقمه 07700 900123"
    assert normalise("０７７００ ９００１２３") == "07700 900123"


def test_the_confusables_table_follows_its_schema():
    table = confusables()
    assert len(table) >= 60
    for key, value in table.items():
        assert len(key) == 1 and not key.isascii(), key
        assert unicodedata.normalize("NFKC", key) == key, f"{key!r}: NFKC already folds it"
        assert len(value) == 1 and value.isascii() and value.isalpha(), (key, value)
        # a capital imitates a capital, a small letter a small letter
        assert key.isupper() == value.isupper() or not key.isupper(), (key, value)


def test_web_door_normalises_before_redacting():
    assert clean_message("my\u00a0daughter\u00a0Chloe\u00a0Smith sent a nude") == "my daughter [name] sent a nude"
    assert clean_message("call ０７７００ ９００１２３") == "call [phone]"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_normalising_twice_changes_nothing(text):
    once = normalise(text)
    assert normalise(once) == once


def _cost(text: str, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        normalise(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", ["\u0456a", "\u200b", "\u00a0x", "a\u0307", "😀", "!?", "ｍ"])
def test_cost_is_linear_in_the_length(unit):
    # 20 times the text must cost far less than 400 times (what quadratic work would cost).
    short, long = unit * 100, unit * 2000
    ratio = _cost(long) / max(_cost(short), 1e-6)
    assert ratio < 60, ratio


def test_characters_that_nfkc_would_multiply_are_kept_as_they_are():
    # U+FDFA becomes 18 characters under NFKC: 1,000 of them must not become 18,000.
    assert len(normalise("\ufdfa" * 1000)) <= 3000
    assert normalise("\ufb03") == "ffi"  # a ligature still becomes its letters
