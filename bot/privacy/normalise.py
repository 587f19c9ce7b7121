"""One spelling for what a parent typed, before crisis detection, redaction and NLU see it.

Applied first at both doors: the web app (`bot/web/chat.py` `clean_message`) and Rasa's
REST channel (`bot/rasa/channel.py`), so a message reads the same whichever way it comes.

1. NFKC: full-width letters (what Japanese and Chinese input methods type), mathematical
   bold and italic letters, ligatures and circled letters become ordinary letters.
2. Every Unicode space (no-break, narrow, thin, ideographic ...) becomes a plain space and
   every line or paragraph separator a newline, instead of vanishing and gluing the words
   either side together ("is\u00a0missing" stays "is missing").
3. Invisible characters (zero-width space and joiners, soft hyphen, bidi controls, other
   control and format characters) are removed. Zero-width spaces used *between* words, in
   a message with no ordinary spaces, become spaces. A zero-width joiner between two
   letters of a script that needs it (Persian, Hindi ...) is kept.
4. Look-alike letters (`lexicon/confusables.yml`: Cyrillic, Greek and other letters that
   imitate Latin ones) fold to Latin inside words that are otherwise Latin, and in words
   made only of look-alikes when the message is mostly Latin. Genuine Cyrillic, Greek or
   Turkish text is left as written. Combining marks left on a plain Latin letter after
   NFKC (a dotted "i\u0307", strike-through) are dropped.
5. Digits from other scripts become ASCII digits, so a phone number is a phone number.

Linear in the length of the text (one pass per step), pure, and idempotent.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Dict, List

from bot.paths import LEXICON
from bot.yamlio import load_yaml

CONFUSABLES_FILE = LEXICON / "confusables.yml"
ZERO_WIDTH_SPACE = "\u200b"
JOINERS = ("\u200c", "\u200d")  # zero-width non-joiner and joiner
LINE_BREAKS = {"\r", "\x0b", "\x0c", "\x85"}
MAX_EXPANSION = 3  # characters one character may become under NFKC ("ﬃ" -> "ffi")


@lru_cache(maxsize=1)
def confusables() -> Dict[str, str]:
    """{look-alike character: the ASCII letter it imitates}, from lexicon/confusables.yml."""
    table = load_yaml(CONFUSABLES_FILE).get("confusables") or {}
    return {str(key): str(value) for key, value in table.items()}


def _is_ascii_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _spaces_and_invisibles(text: str) -> str:
    """Step 2, 3 and 5: separators become spaces, invisible characters go, digits become ASCII."""
    no_spaces = not any(ch.isspace() for ch in text)
    out: List[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch == " " or ch == "\n" or ch == "\t" or (ch.isascii() and ch.isalnum()):
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Zs":
            out.append(" ")
        elif category in ("Zl", "Zp") or ch in LINE_BREAKS:
            if not (ch == "\r" and i + 1 < n and text[i + 1] == "\n"):
                out.append("\n")
        elif ch == ZERO_WIDTH_SPACE:
            if no_spaces and out and out[-1] != " ":
                out.append(" ")
        elif ch in JOINERS:
            before = out[-1] if out else ""
            after = text[i + 1] if i + 1 < n else ""
            if before.isalpha() and after.isalpha() and not before.isascii() and not after.isascii():
                out.append(ch)
        elif category[0] == "C":
            continue  # control, format, surrogate, private-use and unassigned characters
        elif category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _fold(text: str) -> str:
    """Step 4: look-alike letters to Latin, only where the text is Latin."""
    table = confusables()
    if not any(ch in table for ch in text):
        return text
    # Words: runs of letters and combining marks. Per word, the count of ASCII letters,
    # look-alikes and other letters.
    words = []  # (start, end, latin, lookalike, other)
    start = None
    latin = lookalike = other = 0
    for i, ch in enumerate(text + " "):
        is_mark = unicodedata.category(ch) in ("Mn", "Me") if not ch.isascii() else False
        if ch.isalpha() or (is_mark and start is not None):
            if start is None:
                start, latin, lookalike, other = i, 0, 0, 0
            if _is_ascii_letter(ch):
                latin += 1
            elif ch in table:
                lookalike += 1
            elif not is_mark:
                other += 1
        elif start is not None:
            words.append((start, i, latin, lookalike, other))
            start = None
    # Letters that read as Latin once mixed words are folded, against all other letters.
    latin_total = sum(la + (lo if la and not ot else 0) for _, _, la, lo, ot in words)
    other_total = sum(lo + ot for _, _, la, lo, ot in words) - sum(lo for _, _, la, lo, ot in words if la and not ot)
    mostly_latin = latin_total > other_total
    chars = list(text)
    for begin, end, la, lo, ot in words:
        if lo and not ot and (la or mostly_latin):
            for i in range(begin, end):
                chars[i] = table.get(chars[i], chars[i])
    return "".join(chars)


def _drop_marks_on_latin(text: str) -> str:
    """Combining marks NFKC could not compose onto a plain Latin letter ("i\u0307", "s\u0336")."""
    out: List[str] = []
    base = ""
    for ch in text:
        if not ch.isascii() and unicodedata.category(ch) in ("Mn", "Me"):
            if _is_ascii_letter(base):
                continue
        else:
            base = ch
        out.append(ch)
    return "".join(out)


def _nfkc(text: str) -> str:
    """NFKC, except for the few characters it would turn into more than MAX_EXPANSION
    characters (U+FDFA becomes 18): they are kept as they are, so a 1,000-character message
    stays at most 3,000 characters and the cost of what follows stays bounded."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    parts: List[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ord(ch) >= 0xA0 and len(unicodedata.normalize("NFKC", ch)) > MAX_EXPANSION:
            parts += [unicodedata.normalize("NFKC", text[start:i]), ch]
            start = i + 1
    parts.append(unicodedata.normalize("NFKC", text[start:]))
    return "".join(parts)


def normalise(text: str) -> str:
    """The message in one spelling; see the module docstring for each step."""
    text = _nfkc(text)
    text = _spaces_and_invisibles(text)
    text = _fold(text)
    return _drop_marks_on_latin(text)
