"""Messages that cost the most to read, for the H1 benchmark and its test (issue 18).

Each is 1,000 characters, the web app's limit: the probe's random emoji and `!?` runs,
and their neighbours (one long word, mixed scripts, many tiny tokens, joiners). NORMAL is
an ordinary worried parent's 1,000-character message, the yardstick they are compared to.
Timing helpers measure the two doors in process: the web app's cleaning and redaction,
and Rasa's channel preparation plus the NLU parse.
"""

from __future__ import annotations

import random
import time
from typing import Callable, Dict, List

NORMAL = (
    "my 14 year old daughter sent a photo to a boy in her class on snapchat and now he has shown it to his "
    "friends and it is going round the school. she is devastated and will not go in tomorrow. i do not know "
    "whether to phone the school, the police or the boy's parents first, and i am worried she will get into "
    "trouble herself because she is under 18. she says she only sent it because he kept asking and said he "
    "loved her. how do i get it taken down, and what should i say to her tonight so she knows i am not angry? "
    "we live in leeds and i have never dealt with anything like this before. her dad does not know yet and i "
    "am scared of how he will react. should i tell him now or wait until i know more about what will happen? "
    "she has deleted the app but i think he still has the picture saved on his phone and maybe on others too. "
    "the school has a safeguarding lead but i have never spoken to her. what will they do if i ring tomorrow?"
)[:1000]


def costly_inputs(seed: int = 18, size: int = 1000) -> Dict[str, str]:
    """The probe's worst cases (H1) and their neighbours, each `size` characters."""
    r = random.Random(seed)

    def pick(chars, n=size):
        return "".join(r.choice(chars) for _ in range(n))[:size]

    emoji = [chr(c) for c in range(0x1F600, 0x1F650)] + ["\u2764\ufe0f", "\U0001f44d\U0001f3fd"]
    return {
        "random emoji": pick(["\U0001f600", "\U0001f601", "\U0001f602", "!"]),
        "emoji mix": pick(emoji + ["!"]),
        "!? run": pick("!?"),
        "punctuation": pick("!?.,;:'\"()[]{}-_*&^%$#@~`<>/\\|+="),
        "one long word": pick("abcdefghijklmnopqrstuvwxyz"),
        "mixed scripts": pick("aбвгдеαβγδ漢字かなلعربية한국어!?😀"),
        "many tiny tokens": " ".join(pick("abc!?.😀", 1) for _ in range(size // 2))[:size],
        "emoji between letters": "".join(r.choice(emoji) + r.choice("abc") for _ in range(size // 2))[:size],
        "digits and dashes": "1-" * (size // 2),
        "zero-width joiners": pick(["\u200d", "\U0001f468", "\U0001f469", "\ufe0f"]),
    }


def cost_ms(work: Callable[[str], object], text: str, rounds: int = 5) -> float:
    """CPU milliseconds of `work(text)` (this process's CPU time, so a busy machine does not
    inflate it): the fastest of `rounds`, each on a fresh variant (no cache hits)."""
    times: List[float] = []
    for i in range(rounds):
        variant = text[:-2] + "~" + "xyzuvw"[i % 6]
        started = time.process_time()
        work(variant)
        times.append((time.process_time() - started) * 1000)
    return min(times)


def web_door(text: str) -> str:
    """What the web app does to a typed message before Rasa sees it."""
    from bot.web.chat import as_typed_text, clean_message

    return as_typed_text(clean_message(text))


def rasa_door_text(text: str) -> str:
    """What Harbour's REST channel does to a message before the NLU (bot/rasa/channel.py)."""
    from bot.long_runs import break_long_runs
    from bot.privacy.redact import redact

    return redact(break_long_runs(text))
