"""Tells whether Harbour can read a message: it has words, and they look like English.

Empty, emoji-only and symbol-only messages, text mostly in a non-Latin script, and
sentences made of another language's common words ("ma fille a envoyé une photo") are
unreadable. A bare number ("14") is readable: it answers "how old is your child?".
Uses only spaCy's built-in stop-word lists, so nothing is downloaded or loaded from disk.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from functools import lru_cache
from typing import FrozenSet

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

OTHER_LANGUAGES = ("fr", "de", "es", "it", "pt", "nl", "pl", "ro", "tr", "sv", "da", "cs", "hu")
# Informal English words that other languages also use as stop words.
# fmt: off
ENGLISH_EXTRA = frozenset({
    "im", "dont", "cant", "wont", "u", "ur", "pls", "plz", "ok", "okay", "hi", "hey", "yes", "no",
    "son", "ex", "hat", "die", "man", "art", "fast", "also", "will", "mine", "bits", "bra", "pic",
})
# fmt: on
MAX_WORD = 30
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _foreign_words() -> FrozenSet[str]:
    words = set()
    for code in OTHER_LANGUAGES:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
        words |= {w.lower() for w in module.STOP_WORDS if len(w) > 1}
    return frozenset(words - ENGLISH - ENGLISH_EXTRA)


def _latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters)


def is_readable(text: str) -> bool:
    if not text or not text.strip():
        return False
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return any(ch.isdigit() for ch in text)
    if _latin_share(text) < 0.5:
        return False
    # "xxxxxxxx…" or a keyboard smash: no word of a length any language uses.
    if not any(len(w) <= MAX_WORD for w in words):
        return False
    if len(words) < 3:
        return True
    english = sum(1 for w in words if w in ENGLISH or w in ENGLISH_EXTRA)
    foreign = sum(1 for w in words if w in _foreign_words())
    return not (foreign >= 2 and foreign > english)
