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
from pathlib import Path
from typing import Callable, Dict, List

from bot.paths import ROOT

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
        "confusables": " ".join(pick("аеорсхуіјѕԁһɡονΑΕΚΜΝΟΡΤΧ", r.randint(3, 9)) for _ in range(size // 5))[:size],
        # Aimed at the sentence encoder: danger words everywhere, so the intent classifier
        # and the danger gate embed the message and every one of its ends (issue 18, H1).
        "many tiny sentences": ("he's on the roof. " * size)[:size],
        "many lines": ("help me now\n" * size)[:size],
        "danger, three long sentences": _sentences(DANGER_WORDS, 3, size, r),
        "danger, no full stops": _sentences(DANGER_WORDS, 1, size, r).rstrip("."),
        "danger, long last sentence": (
            ". ".join(r.sample(DANGER_WORDS, 4)) + ". " + _sentences(DANGER_WORDS, 1, size, r)
        )[:size],
    }


DANGER_WORDS = [
    "my son is on the roof threatening to jump",
    "she has taken a lot of pills and won't wake up",
    "he is missing and not answering his phone",
    "a man is outside our house waiting for her",
    "she says she is going to kill herself tonight",
    "he has a knife and is cutting himself",
]


def _sentences(parts: List[str], count: int, size: int, r: random.Random) -> str:
    """`count` sentences of about equal length made of `parts` joined with ", and "."""
    per = size // count
    out = []
    for _ in range(count):
        sentence = r.choice(parts)
        while len(sentence) + 40 < per:
            sentence += ", and " + r.choice(parts)
        out.append(sentence + ".")
    return " ".join(out)[:size]


def _held_out(path: Path) -> Dict[str, List[str]]:
    from bot.nlu_examples import examples, plain_text

    # Parents' questions and stories, not the conversation topics (hello, yes, thanks ...).
    found = {
        intent: [plain_text(t) for t, source in rows if source.name != "test_conversation.yml"]
        for intent, rows in examples(path).items()
    }
    return {intent: texts for intent, texts in found.items() if texts}


def _lines(path: Path) -> List[str]:
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _topics() -> Dict[str, List[str]]:
    return {
        intent: texts
        for intent, texts in _held_out(ROOT / "tests" / "nlu").items()
        if intent != "immediate_danger" and len(texts) >= 4
    }


def _long(sentences: List[str], ending: str, size: int, r: random.Random) -> str:
    """`sentences` (shuffled, repeated) as one message of about `size` characters, cut at a
    word, then `ending` as its last sentence."""
    room = size - (len(ending) + 1 if ending else 0)
    chosen: List[str] = []
    while sum(len(s) + 2 for s in chosen) < room:
        chosen.extend(r.sample(sentences, len(sentences)))
    head = ". ".join(chosen)[:room]
    head = head[: head.rfind(" ")].rstrip(" .,") + "."
    return (head + (" " + ending if ending else "")).strip()


def ordinary_messages(count: int = 30, seed: int = 18, size: int = 1000) -> Dict[str, str]:
    """Ordinary long parent messages, the yardstick for the costly ones: held-out examples
    (tests/nlu/, never trained on) of one topic joined as sentences, cut at a word to about
    `size` characters; every third ends with a held-out crisis message
    (tests/crisis/crisis.txt), as a frightened parent's long message often does."""
    r = random.Random(seed)
    topics = _topics()
    crises = _lines(ROOT / "tests" / "crisis" / "crisis.txt")
    names = sorted(topics)
    out = {}
    for n in range(count):
        topic = names[n % len(names)]
        ending = r.choice(crises) if n % 3 == 2 else ""
        out[f"{topic} {n}" + (" + crisis" if ending else "")] = _long(topics[topic], ending, size, r)
    return out


def long_topic_messages(per_topic: int = 3, seed: int = 19, size: int = 1000) -> Dict[str, str]:
    """{message: topic}: about `size` characters of one topic's held-out examples, to measure
    how well long messages are understood."""
    r = random.Random(seed)
    return {_long(texts, "", size, r): topic for topic, texts in sorted(_topics().items()) for _ in range(per_topic)}


def long_endings(seed: int = 20, size: int = 1000) -> Dict[str, str]:
    """{message: "crisis" or "near_miss"}: about `size` characters of another topic's held-out
    examples, ending with a held-out crisis message (tests/crisis/crisis.txt) or a near-miss
    (tests/crisis/not_crisis.txt): is danger written last still caught, and only then?"""
    r = random.Random(seed)
    topics = _topics()
    names = sorted(topics)
    out = {}
    for kind, file in (("crisis", "crisis.txt"), ("near_miss", "not_crisis.txt")):
        for ending in _lines(ROOT / "tests" / "crisis" / file):
            out[_long(topics[r.choice(names)], ending, size, r)] = kind
    return out


async def nlu_costs(agent, texts: Dict[str, str], rounds: int = 3, door=None) -> Dict[str, Dict[str, float]]:
    """{name: {"ms": CPU ms, "tokens": encoder tokens}} of Rasa's NLU parse of each text, after
    `door` (Harbour's channel preparation by default): the fastest of `rounds` fresh
    variants. The rounds go over all the texts in turn, so a busy spell on the machine
    touches every text alike rather than a few."""
    door = door or rasa_door_text
    best = {name: (float("inf"), 0) for name in texts}
    for i in range(rounds):
        for name, text in texts.items():
            variant = door(text[:-2] + "~" + "xyzuvw"[i % 6])
            started = time.process_time()
            parsed = await agent.parse_message(variant)
            spent = (time.process_time() - started) * 1000
            best[name] = min(best[name], (spent, (parsed.get("harbour_nlu") or {}).get("encoder_tokens", 0)))
    return {name: {"ms": ms, "tokens": tokens} for name, (ms, tokens) in best.items()}


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
