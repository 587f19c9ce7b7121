"""Blind journeys: conversations written without sight of Harbour's answers, played live.

tests/blind/journeys.yml was written by a helper who saw only the topic contract and the
region rules (its header says so). Each journey is played through the public /api/chat,
as the widget does. When Harbour asks something, the harness answers as that parent
would, from the journey's `facts`, with the same rules for every journey:
- where they live: the parent types `facts.place`; asked again, they tap their region's
  button ("Prefer not to say" when the journey has no place);
- the child's age: the parent types `facts.child_age`; asked again (or with no age in the
  facts), they tap "Prefer not to say";
- two topics to choose between: the parent taps the one whose words best fit the
  journey's topic;
- "Is your child safe right now?": "No, not safe" when the journey is about a danger,
  otherwise "Yes, safe now";
- a guess about where they live, with a button for the other reading: the parent taps
  the one for the region they live in.
Then every `must_mention` entry must have at least one of its alternatives somewhere in
Harbour's replies (text, buttons, cards' names, numbers and descriptions), and no
`must_not_mention` word may appear (whole words, any case) in any reply from the moment
Harbour knows where the parent lives (its `location` slot, read from Rasa's tracker).
Before that, Harbour gives every region's emergency number and route on purpose (issue 15:
a parent whose region is unknown must never get UK-only numbers as if they worked
everywhere), so "911" in that list is not a wrong number for a parent in England. The
report also counts the stricter reading, over every reply.

Journeys whose expectation is wrong by the official sources are listed, with the source,
in tests/blind/journeys_disputed.yml, and journeys a change made worse, still to fix, in
REGRESSED below; both are expected to fail (strict), nothing else.
The outcome per journey and region is written to reports/blind-journeys.md.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Tuple

import pytest
import requests
import yaml

from bot.paths import ROOT
from bot.rasa.api_auth import bearer_header
from bot.tools.stack import running_harbour

BLIND = ROOT / "tests" / "blind"
JOURNEYS = yaml.safe_load((BLIND / "journeys.yml").read_text(encoding="utf-8"))["journeys"]
DISPUTED = (yaml.safe_load((BLIND / "journeys_disputed.yml").read_text(encoding="utf-8")) or {}).get("disputed") or {}
REPORT = ROOT / "reports" / "blind-journeys.md"
# At most this many questions answered after one parent message (a form, then a choice).
MAX_ANSWERS = 4
# A journey about one of these is a danger now: the parent says the child is not safe.
DANGER_WORDS = {"missing", "suicidal", "suicide", "danger", "meeting", "jump", "hurt", "self-harm"}
CARD_FIELDS = ("name", "description", "phone", "text", "web", "hours")
TOKEN = "blind-journeys-" + uuid.uuid4().hex  # the Rasa HTTP API, to read the location slot
OUTCOMES: Dict[str, Tuple[str, bool, List[str], bool]] = {}


def words(text: str) -> set:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}


def mentions(text: str, phrase: str) -> bool:
    """The phrase as whole words, ignoring case, curly apostrophes and spacing."""
    norm = re.sub(r"\s+", " ", text.replace("’", "'")).lower()
    wanted = re.sub(r"\s+", " ", phrase.replace("’", "'")).lower()
    return re.search(r"(?<![\w])" + re.escape(wanted) + r"(?![\w])", norm) is not None


def payload_region(payload: str) -> Optional[str]:
    match = re.search(r'"location"\s*:\s*"([^"]+)"', payload)
    return match.group(1) if match else None


class Parent:
    """One parent in the widget: sends messages, answers Harbour's questions from facts."""

    def __init__(self, harbour, journey: dict) -> None:
        self.url = f"{harbour.web_url}/api/chat"
        self.tracker = f"{harbour.url}/conversations/{{}}/tracker"
        self.journey = journey
        self.facts = journey.get("facts") or {}
        self.session = harbour.new_session()  # signed, as the chat page gets one
        self.conversation = self.session[:32]  # the sender id Rasa stores
        self.transcript: List[Tuple[str, List[dict]]] = []
        self.place_known_at: Optional[int] = None  # the first exchange after which it knew
        self.typed: set = set()  # facts already typed once in answer to a question

    def send(self, message: str) -> List[dict]:
        # A tapped button goes as "payload", typed text as "message" (issue 18, M1).
        field = "payload" if message.startswith("/") else "message"
        response = requests.post(self.url, json={"session": self.session, field: message}, timeout=60)
        response.raise_for_status()
        messages = response.json()["messages"]
        self.transcript.append((message, messages))
        if self.place_known_at is None and self.location():
            self.place_known_at = len(self.transcript) - 1
        return messages

    def location(self) -> Optional[str]:
        url = self.tracker.format(self.conversation)
        response = requests.get(url, params={"include_events": "NONE"}, headers=bearer_header(TOKEN), timeout=30)
        response.raise_for_status()
        return (response.json().get("slots") or {}).get("location")

    def say(self, message: str) -> None:
        replies = self.send(message)
        for _ in range(MAX_ANSWERS):
            answer = self.answer(replies)
            if answer is None:
                return
            replies = self.send(answer)

    def answer(self, replies: List[dict]) -> Optional[str]:
        """What this parent sends back to a question in these replies, if one was asked."""
        buttons = [b for r in replies for b in r.get("buttons") or []]
        payloads = [b["payload"] for b in buttons]
        declined = next((b["payload"] for b in buttons if b["payload"] == "/deny"), None)
        if any(payload_region(p) for p in payloads):
            if declined:  # the question "where are you?": typed first, tapped if asked again
                mine = [p for p in payloads if payload_region(p) == self.journey["region"]]
                if self.facts.get("place") and self.facts["place"] not in self.typed:
                    self.typed.add(self.facts["place"])
                    return self.facts["place"]
                return mine[0] if mine else declined
            mine = [p for p in payloads if payload_region(p) == self.journey["region"]]
            return mine[0] if mine else None  # a guess about the place, with its other readings
        if any("inform_age" in p for p in payloads):
            age = str(self.facts.get("child_age") or "")
            if age and age not in self.typed:
                self.typed.add(age)
                return age
            return declined
        if "/immediate_danger" in payloads:
            danger = words(self.journey["topic"]) & {w.rstrip("s") for w in DANGER_WORDS}
            return "/immediate_danger" if danger else next(p for p in payloads if p != "/immediate_danger")
        for reply in replies:  # a question with a button per topic ("Which is closer...?")
            topics = [b for b in reply.get("buttons") or [] if re.fullmatch(r"/[a-z_]+", b["payload"])]
            if len(topics) < 2 or not (reply.get("text") or "").rstrip().endswith("?"):
                continue
            wanted = words(self.journey["topic"])
            best = max(topics, key=lambda b: len(wanted & (words(b["title"]) | words(b["payload"]))))
            return best["payload"]
        return None

    def everything_said(self, since: int = 0) -> str:
        parts: List[str] = []
        for _, messages in self.transcript[since:]:
            for message in messages:
                parts.append(message.get("text") or "")
                parts += [b.get("title", "") for b in message.get("buttons") or []]
                for card in message.get("cards") or []:  # what the widget shows of a card
                    parts += [str(card[k]) for k in CARD_FIELDS if isinstance(card.get(k), str)]
        return "\n".join(parts)


def problems(journey: dict, said: str, said_knowing_place: str) -> List[str]:
    found = []
    for alternatives in journey.get("must_mention") or []:
        if not any(mentions(said, a) for a in alternatives):
            found.append(f"never mentioned any of {alternatives}")
    for word in journey.get("must_not_mention") or []:
        if mentions(said_knowing_place, word):
            found.append(f"mentioned {word!r}")
    return found


# Journeys that a change made worse and that are still to fix: listed here, in the open,
# not in the disputed file (nothing about them is disputed). Strict, so a fix fails the
# run until the entry is removed.
REGRESSED: dict = {}  # sct-sextortion-1 (stop 21) fixed in stop 22: the danger steps name the take-down tool


def params() -> Iterable:
    for journey in JOURNEYS:
        marks = []
        if journey["id"] in DISPUTED:
            marks.append(pytest.mark.xfail(strict=True, reason=DISPUTED[journey["id"]]["reason"]))
        elif journey["id"] in REGRESSED:
            marks.append(pytest.mark.xfail(strict=True, reason=REGRESSED[journey["id"]]))
        yield pytest.param(journey, id=journey["id"], marks=marks)


def test_the_journeys_cover_every_region_and_disputes_name_a_source():
    from bot.regions import PLACE_CODES

    assert len(JOURNEYS) >= 30
    assert {j["region"] for j in JOURNEYS} == set(PLACE_CODES) - {"GB"}
    ids = {j["id"] for j in JOURNEYS}
    for name, dispute in DISPUTED.items():
        assert name in ids, name
        assert dispute.get("reason") and re.match(r"https://", dispute.get("source", "")), name


@pytest.fixture(scope="module")
def harbour(trained_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("blind-journeys")
    with running_harbour(trained_model, tmp, token=TOKEN, rate_limits=False) as running:
        yield running
    write_report()


@pytest.mark.parametrize("journey", params())
def test_blind_journey(harbour, journey):
    parent = Parent(harbour, journey)
    for turn in journey["turns"]:
        parent.say(turn)
    everything = parent.everything_said()
    known = parent.everything_said(parent.place_known_at) if parent.place_known_at is not None else ""
    found = problems(journey, everything, known)
    strict = not problems(journey, everything, everything)
    OUTCOMES[journey["id"]] = (journey["region"], not found, found, strict)
    assert not found, json.dumps({"problems": found, "transcript": parent.transcript}, indent=1)[:6000]


def write_report() -> None:
    if not OUTCOMES:
        return
    by_region: Dict[str, List[bool]] = defaultdict(list)
    strict_by_region: Dict[str, List[bool]] = defaultdict(list)
    for region, passed, _, strict in OUTCOMES.values():
        by_region[region].append(passed)
        strict_by_region[region].append(strict)
    passed = sum(ok for _, ok, _, _ in OUTCOMES.values())
    strict = sum(s for _, _, _, s in OUTCOMES.values())
    lines = [
        "# Blind journeys (tests/blind/journeys.yml), played live",
        "",
        f"Passed {passed} of {len(OUTCOMES)} ({passed / len(OUTCOMES):.0%}). With must_not_mention "
        f"checked over every reply, also those before Harbour knew the region: {strict} of {len(OUTCOMES)}.",
        "",
        "| region | passed | over every reply |",
        "|---|---|---|",
    ]
    lines += [
        f"| {r} | {sum(v)}/{len(v)} | {sum(strict_by_region[r])}/{len(v)} |" for r, v in sorted(by_region.items())
    ]
    lines += ["", "## Failures", ""]
    for name, (_region, ok, found, _) in sorted(OUTCOMES.items()):
        if not ok:
            disputed = " (disputed)" if name in DISPUTED else ""
            lines.append(f"- {name}{disputed}: {'; '.join(found)}")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
