"""Personal details found with plain patterns over the whole text, for bot/privacy/redact.py.

Identity numbers (UK National Insurance, Irish PPS, UK vehicle registrations), IP
addresses, dates with a year (dates of birth), school names, street names without a
house number and foreign street forms, emails and phone numbers written in words, phone
numbers typed with the letter O, and phone numbers given in parts ("starts 07700 and ends
900123", or "900123" on its own after "her number is 07700").

Every pattern is linear: no nested unbounded repetition, and repeats are bounded.
Each finder returns (start, end, placeholder) spans on the text it was given.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Callable, List, Tuple

Span = Tuple[int, int, str]

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NI_NUMBER = re.compile(r"\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b", re.I)
_PPS_NUMBER = re.compile(r"\b\d{7}[A-W][A-IW]?\b", re.I)
_VEHICLE = re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b", re.I)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_DATE_NUMERIC = re.compile(r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\w/-]|\.\d)")
_DATE_WORDS = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {MONTHS},? (?:19|20)\d\d|{MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d\d)\b",
    re.I,
)
_SCHOOL = re.compile(
    r"\b(?:St\.? |Saint )?[A-Z][\w'’-]{1,30}(?: [A-Z][\w'’-]{1,30}){0,3}"
    r" (?:(?:High|Primary|Secondary|Grammar|Infant|Junior|Community|Catholic|Prep|Preparatory)"
    r" School|School|Academy|College|Grammar|High|Primary|Comprehensive)\b"
)
_SCHOOL_FIRST_WORDS = {"the", "my", "his", "her", "our", "their", "your", "a", "this", "that", "at", "in", "to"}
_SCHOOL_KINDS = {"high", "primary", "secondary", "grammar", "infant", "junior", "community", "catholic", "prep"}
_STREET_NAME = re.compile(
    r"\b[A-Z][a-z'’]{1,20}(?: [A-Z][a-z'’]{1,20})? (?:Street|Road|Avenue|Lane|Close|Crescent|Drive|Way|Court|Place|"
    r"Terrace|Gardens|Grove|Boulevard|Square|Mews|Row|Walk|Rise|Parade)\b"
)
_FOREIGN_STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]?,? (?:rue|avenue|boulevard|calle|avenida|via|viale|ulica|ul\.|strada|rua)"
    r"(?: (?:de|du|des|de la|del|de los|di|della|da|do|dos))? [A-Z][\w'’-]{1,30}",
    re.I,
)
_EMAIL_WORDS = re.compile(
    r"\b[\w.+-]{1,40}(?: dot [\w-]{1,40}){0,3} (?:at|\(at\)|\[at\]) [\w-]{1,40}(?: dot [\w-]{1,20}){1,3}\b",
    re.I,
)
_NUMBER_WORD = (
    r"(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|treble|hundred|thousand|\d{1,4})"
)
_PHONE_WORDS = re.compile(rf"\b{_NUMBER_WORD}(?:[ ,-]{{1,2}}{_NUMBER_WORD}){{5,}}\b", re.I)
_PHONE_CONTEXT = re.compile(
    r"\b(?:number|no\.?|num|phone|mobile|cell|landline|tel|ring|call|text|whatsapp|starts?|ends?|digits)\b", re.I
)
_DIGIT_GROUP = re.compile(r"(?<![\w/])\+?\d[\d ()-]{2,}\d(?![\w/])")
_BARE_DIGITS = re.compile(r"\+?\d[\d ()-]{3,20}\d")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _regex(pattern: re.Pattern, placeholder: str) -> Callable[[str], List[Span]]:
    return lambda text: [(m.start(), m.end(), placeholder) for m in pattern.finditer(text)]


def ni_numbers(text: str) -> List[Span]:
    return [(m.start(), m.end(), "[id]") for m in _NI_NUMBER.finditer(text) if m.group()[:2].isalpha()]


def ip_addresses(text: str) -> List[Span]:
    found = []
    for pattern in (_IPV4, _IPV6):
        for m in pattern.finditer(text):
            if m.group().count(":") >= 2 and not any(c.isalpha() or c.isdigit() for c in m.group()):
                continue  # "::" alone, or a smiley
            try:
                ipaddress.ip_address(m.group())
            except ValueError:
                continue
            found.append((m.start(), m.end(), "[ip]"))
    return found


def schools(text: str) -> List[Span]:
    found = []
    for m in _SCHOOL.finditer(text):
        words = m.group().split()
        # Drop leading words like "The" and kinds of school ("Primary School" alone names none).
        while words and words[0].lower() in _SCHOOL_FIRST_WORDS:
            words.pop(0)
        named = [w for w in words[:-1] if w.lower().rstrip("’'s") not in _SCHOOL_KINDS and w.lower() != "school"]
        if not named:
            continue
        start = m.end() - len(" ".join(words))
        found.append((start, m.end(), "[school]"))
    return found


def street_names(text: str) -> List[Span]:
    found = []
    for m in _STREET_NAME.finditer(text):
        first = m.group().split()[0].lower()
        if first in _SCHOOL_FIRST_WORDS or first in ("high", "main", "this", "which", "one", "no"):
            # "the Close", "High Street" alone: generic, unless a house number comes before
            if first not in ("high", "main") or not re.search(r"\d[A-Za-z]?\s*$", text[: m.start()]):
                continue
        found.append((m.start(), m.end(), "[address]"))
    return found


def _phone_like(digits: str) -> bool:
    return not _YEAR.fullmatch(digits)


def phones_in_context(text: str) -> List[Span]:
    """Digit groups of 4 or more digits within a few words after "number", "call", "starts"."""
    found = []
    for m in _PHONE_CONTEXT.finditer(text):
        window_end = m.end() + 40
        stop = re.search(r"[.!?\n]", text[m.end() : window_end])
        window_end = m.end() + stop.start() if stop else min(window_end, len(text))
        for g in _DIGIT_GROUP.finditer(text, m.end(), window_end):
            digits = re.sub(r"\D", "", g.group())
            if len(digits) >= 4 and _phone_like(digits):
                found.append((g.start(), g.end(), "[phone]"))
    return found


def bare_number(text: str) -> List[Span]:
    """A message that is only a number of 5 or more digits: the rest of a phone number."""
    stripped = text.strip()
    if _BARE_DIGITS.fullmatch(stripped) and len(re.sub(r"\D", "", stripped)) >= 5:
        start = text.index(stripped)
        return [(start, start + len(stripped), "[phone]")]
    return []


def phones_in_words(text: str) -> List[Span]:
    found = []
    for m in _PHONE_WORDS.finditer(text):
        words = re.split(r"[ ,-]+", m.group().lower())
        spelled = [w for w in words if not w.isdigit()]
        if len(spelled) >= 4 and sum(w not in ("o", "oh", "one") for w in spelled) >= 3:
            found.append((m.start(), m.end(), "[phone]"))
    return found


def with_letter_o_as_zero(text: str) -> str:
    """The text with O or o read as 0 inside digit groups ("O77OO 9OO123"), same length."""
    return re.sub(
        r"(?<![A-Za-z])[0-9Oo]{4,}(?![A-Za-z])",
        lambda m: (
            m.group().replace("O", "0").replace("o", "0") if sum(c.isdigit() for c in m.group()) >= 2 else m.group()
        ),
        text,
    )


FINDERS: List[Callable[[str], List[Span]]] = [
    ni_numbers,
    _regex(_PPS_NUMBER, "[id]"),
    _regex(_VEHICLE, "[id]"),
    ip_addresses,
    _regex(_DATE_NUMERIC, "[date]"),
    _regex(_DATE_WORDS, "[date]"),
    schools,
    street_names,
    _regex(_FOREIGN_STREET, "[address]"),
    _regex(_EMAIL_WORDS, "[email]"),
    phones_in_words,
    phones_in_context,
    bare_number,
]


def find_identifiers(text: str) -> List[Span]:
    """Every span the patterns above find; overlaps are resolved by the caller."""
    spans: List[Span] = []
    for finder in FINDERS:
        spans += finder(text)
    return spans
