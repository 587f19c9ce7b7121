"""Replaces personal details in text with typed placeholders: [phone], [email], [url] ...

A first line of defence used when conversations are exported for review. Harbour's
fuller redaction at the web door (issue: safety and privacy) builds on the same idea.
"""
from __future__ import annotations

import re

_PATTERNS = [
    ("[email]", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("[url]", re.compile(r"\b(?:https?://|www\.)\S+", re.I)),
    ("[handle]", re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,30}\b")),
    ("[postcode]", re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.I)),
    ("[eircode]", re.compile(r"\b[AC-FHKNPRTV-Y][0-9]{2}[0-9W]? ?[0-9AC-FHKNPRTV-Y]{4}\b", re.I)),
    ("[phone]", re.compile(r"(?<!\w)(?:\+|00)?[0-9][0-9 ()\-]{7,}[0-9](?!\w)")),
]


def redact(text: str) -> str:
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text
