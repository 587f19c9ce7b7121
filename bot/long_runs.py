"""Bounds what a message costs to tokenise: breaks long runs of symbols before spaCy sees them.

spaCy's tokenizer strips prefix and suffix characters (punctuation, emoji, other symbols)
one at a time from a chunk with no spaces in it, re-scanning the rest each time, so its
cost grows with the square of such a run: 1,000 random `!?` or emoji cost hundreds of times
a normal 1,000-character message (issue 18, H1), and Rasa's sentence encoder reads every
emoji as several tokens. In every run of more than MAX_RUN symbols, each symbol is kept
once (in order), and a space goes after every MAX_RUN of them, so every chunk is short. Letters and digits are left alone, so words,
numbers, web addresses, emails and handles reach redaction unchanged. Called at both doors:
the web app (bot/web/chat.py) and Rasa's REST channel (bot/rasa/channel.py).
"""

from __future__ import annotations

import re

MAX_RUN = 8
# A run of more than MAX_RUN characters that are neither word characters nor spaces.
_SYMBOLS = re.compile(r"[^\w\s]{%d,}" % (MAX_RUN + 1))


def _spaced(match: re.Match) -> str:
    # Repeats carry no meaning ("!!!!!!", "😭😭😭😭"): each symbol is kept once, in order, so
    # every distinct one (a distress emoji among them) still reaches the crisis layer.
    run = "".join(dict.fromkeys(match.group()))
    return " ".join(run[i : i + MAX_RUN] for i in range(0, len(run), MAX_RUN))


def break_long_runs(text: str) -> str:
    """`text` with each long run of symbols reduced to its distinct symbols, spaced."""
    return _SYMBOLS.sub(_spaced, text)
