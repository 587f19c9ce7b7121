"""Region fall-through (issue 15): every content topic x every region value gets help that
works where the parent lives.

For each topic, the turn a parent receives is the answers its rules send (every age band),
then the support message and cards of action_recommend_support, as in
tests/unit/content/test_responses.py and tests/unit/actions/test_support_action.py. No
model or server is needed. Regions come from bot.regions.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Dict, List, Set

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.support import ActionRecommendSupport
from bot.paths import ROOT
from bot.regions import ELSEWHERE, PLACE_CODES, REGION_CODES, UK, UK_NATIONS
from bot.services.directory import load_services
from bot.tools import region_matrix
from bot.tools.responses import load_responses, pick_variation
from bot.topics import content_topics

RESPONSES = load_responses()
SERVICES = load_services()
TOPICS = content_topics()
REGIONS = list(PLACE_CODES)  # every region value the location slot can hold, "unknown" too
UK_REGIONS = {UK, *UK_NATIONS}
AGE_BANDS = [None, "under_13", "13_17", "18_plus", "unknown"]
WEDNESDAY_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
SATURDAY_NIGHT = datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc)
PHONE = re.compile(r"(?<![\w/])\+?\d[\d \-]{1,16}\d(?![\w/])")

# Where a sentence says a number works: "in the UK", "Ireland 112", "US and Canada 911".
COUNTRY_WORDS = {
    "UK": (r"\bUK\b|\bUnited Kingdom\b|\bEngland\b|\bWales\b|\bScotland\b|\bNorthern Ireland\b", UK_REGIONS),
    "IE": (r"(?<!Northern )\bIreland\b|\bIrish\b", {"IE"}),
    "US": (r"\bUS\b|\bUnited States\b", {"US"}),
    "AU": (r"\bAustralia", {"AU"}),
    "CA": (r"\bCanad", {"CA"}),
}
EMERGENCY = {"IE": "112", "US": "911", "CA": "911", "AU": "000"}  # UK regions: 999
# Each region's own routes to the police, emergency help and reporting (issue 15, item 2).
ROUTES = {
    **{region: ["999", "101", "CEOP"] for region in UK_REGIONS},
    "GB-SCT": ["999", "101", "Police Scotland", "CEOP"],
    "GB-NIR": ["999", "101", "PSNI", "CEOP"],
    "IE": ["112", "Gardaí", "Garda", "Tusla", "Hotline.ie"],
    "US": ["911", "CyberTipline", "Take It Down"],
    "AU": ["000", "eSafety", "ACCCE"],
    "CA": ["911", "Cybertip.ca", "NeedHelpNow"],
}
# Routes that exist only in the UK: outside it, a sentence naming one must say it is the UK's.
UK_ONLY = re.compile(r"\bCEOP\b|\bNSPCC\b|Report Remove|Police Scotland|\bPSNI\b|Outcome 21|\bDSL\b|\bUKCIS\b")
# Advice to go to the police or emergency services (not passing mentions such as "until the
# police have advised you").
ADVICE_TO_REPORT = re.compile(
    r"(report|reported|tell|contact|call|go to) (it |this )?(to )?(the |your local )?police|"
    r"\bemergency number\b|\bin danger\b",
    re.I,
)
# Answers that must put the emergency number in their first bubble.
DANGER_FIRST = ("utter_stranger_grooming", "utter_abuse_disclosure")
# Topics whose turn must name the emergency number somewhere.
DANGER_NAMED = ("stranger_grooming", "abuse_disclosure", "unhealthy_relationship", "sextortion")


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _expand(regions) -> Set[str]:
    """A UK number works across the UK, whichever nation's entry lists it."""
    found = set(regions)
    return found | UK_REGIONS if found & UK_REGIONS else found


@lru_cache(maxsize=1)
def dialable() -> Dict[str, Set[str]]:
    """{digits: regions it can be dialled from}, from each number's field in the directory."""
    where: Dict[str, Set[str]] = {}

    def add(number, regions):
        if number:
            where.setdefault(digits(number), set()).update(regions)

    for service in SERVICES.values():
        contact = service.contact
        home = _expand(service.regions)
        if contact.phone_from_ireland:
            home -= {"IE"}  # the main number is not the one to ring from Ireland
            add(contact.phone_from_ireland, {"IE"})
        for number in (contact.phone, contact.phone_alt, contact.emergency_phone, contact.textphone):
            add(number, home)
        if contact.text:
            add(contact.text.number, home)
        add(contact.phone_from_abroad, set(PLACE_CODES) - UK_REGIONS)
    return where


def sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def named_regions(sentence: str) -> Set[str]:
    return {r for pattern, regions in COUNTRY_WORDS.values() if re.search(pattern, sentence) for r in regions}


def undiallable(text: str, region: str) -> List[str]:
    """Numbers in `text` that do not work from `region`, unless their sentence says where they work."""
    bad = []
    for sentence in sentences(text):
        for number in PHONE.findall(sentence):
            works_from = dialable().get(digits(number), set())
            if region in works_from or works_from & named_regions(sentence):
                continue
            bad.append(f"{number!r} in {sentence!r}")
    return bad


@lru_cache(maxsize=1)
def topic_responses() -> Dict[str, List[str]]:
    """{topic: [utter_... the rules send for it]}, including answers after location/age forms."""
    found: Dict[str, List[str]] = {}
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text())["rules"]:
            steps = rule.get("steps", [])
            topic = steps[0].get("intent") if steps else None
            for condition in rule.get("condition", []):
                for slot in condition.get("slot_was_set", []):
                    topic = slot.get("pending_topic", topic)
            actions = [s["action"] for s in steps if "action" in s and s["action"].startswith("utter_")]
            found.setdefault(topic, [])
            found[topic] += [a for a in actions if not a.startswith("utter_ask") and a not in found[topic]]
    return found


def answers(topic: str, region: str) -> List[str]:
    return [
        pick_variation(RESPONSES, response, {"location": region, "age_band": band})["text"]
        for response in topic_responses().get(topic, [])
        for band in AGE_BANDS
    ]


def support(topic: str, region: str, moment: datetime = WEDNESDAY_NOON) -> dict:
    action = ActionRecommendSupport()
    action.clock = lambda: moment
    tracker = Tracker(
        sender_id="parent",
        slots={"location": region, "child_age": None, "session_started_metadata": None},
        latest_message={"intent": {"name": topic, "confidence": 0.9}, "text": "...", "metadata": {}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker, {})
    return dispatcher.messages[-1]


def turn(topic: str, region: str) -> str:
    return "\n\n".join(answers(topic, region) + [support(topic, region)["text"]])


def test_every_content_topic_has_an_answer_rule():
    # find_support is answered by action_recommend_support alone.
    assert [t for t in TOPICS if t not in topic_responses()] == []


def test_the_region_list_is_the_one_in_bot_regions():
    assert set(REGIONS) == set(REGION_CODES) | {ELSEWHERE}


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("topic", TOPICS)
def test_no_answer_offers_a_number_that_cannot_be_dialled_from_the_region(topic, region):
    bad = [b for text in answers(topic, region) for b in undiallable(text, region)]
    assert not bad, f"{topic} in {region}: {bad}"


@pytest.mark.parametrize("moment", [WEDNESDAY_NOON, SATURDAY_NIGHT])
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("topic", TOPICS)
def test_no_card_offers_a_number_that_cannot_be_dialled_from_the_region(topic, region, moment):
    message = support(topic, region, moment)
    cards = message["custom"]["cards"]
    works = dialable()
    bad = [c["id"] for c in cards if c["phone"] and region not in works.get(digits(c["phone"]), set())]
    bad += [c["id"] for c in cards if c["text"] and region not in works.get(digits(c["text"]), set())]
    assert not bad, f"{topic} in {region}: cards {bad}"
    assert not undiallable(message["text"], region) or region == ELSEWHERE and "in the UK" in message["text"]


@pytest.mark.parametrize("region", [r for r in REGIONS if r not in UK_REGIONS])
@pytest.mark.parametrize("topic", TOPICS)
def test_uk_only_routes_say_so_outside_the_uk_and_add_the_regions_own(topic, region):
    said = "\n\n".join(answers(topic, region))
    uk_sentences = [s for s in sentences(said) if UK_ONLY.search(s)]
    unlabelled = [s for s in uk_sentences if not named_regions(s) & UK_REGIONS]
    assert not unlabelled, f"{topic} in {region} names a UK-only route without saying so: {unlabelled}"
    if uk_sentences and region != ELSEWHERE:
        assert any(route in said for route in ROUTES[region]), f"{topic} in {region}: no route of its own"


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("topic", TOPICS)
def test_police_and_emergency_answers_name_the_regions_route(topic, region):
    said = turn(topic, region)
    if not ADVICE_TO_REPORT.search(said):
        return
    if region == ELSEWHERE:
        # No answers of its own: every region's emergency number, or a pointer to local police.
        assert all(n in said for n in ("999", "112", "911", "000")) or re.search(r"local police", said, re.I), topic
        return
    assert any(route in said for route in ROUTES[region]), f"{topic} in {region}: none of {ROUTES[region]}"


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("response", DANGER_FIRST)
def test_grooming_and_disclosure_open_with_the_regions_emergency_number(response, region):
    first_bubble = pick_variation(RESPONSES, response, {"location": region})["text"].split("\n\n")[0]
    wanted = ["999", "112", "911", "000"] if region == ELSEWHERE else [EMERGENCY.get(region, "999")]
    assert all(n in first_bubble for n in wanted), (response, region, first_bubble)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("topic", DANGER_NAMED)
def test_danger_prone_topics_name_the_regions_emergency_number(topic, region):
    said = "\n\n".join(answers(topic, region))
    wanted = ["999", "112", "911", "000"] if region == ELSEWHERE else [EMERGENCY.get(region, "999")]
    assert all(n in said for n in wanted), (topic, region)


@pytest.mark.parametrize("region", REGIONS)
def test_sextortion_says_not_to_pay_more_and_names_a_crisis_line(region):
    said = "\n\n".join(answers("sextortion", region))
    assert "don't pay any more" in said
    if region != ELSEWHERE:
        assert "harming themselves" in said


def test_region_matrix_page_is_current():
    assert region_matrix.main(["--check"]) == 0, "run: python -m bot.tools.region_matrix"


@pytest.mark.parametrize("topic", TOPICS)
def test_a_region_dependent_topic_has_wording_for_every_country_outside_the_uk(topic):
    cells = region_matrix.matrix()[topic]
    if set(cells.values()) == {"same"}:
        return
    missing = [r for r in REGION_CODES if r not in UK_REGIONS and cells[r] != "own"]
    assert not missing, f"{topic} depends on the region but has no wording of its own for {missing}"


@pytest.mark.parametrize("region", REGIONS + [None])
@pytest.mark.parametrize("response", sorted(RESPONSES))
def test_no_response_at_all_offers_a_number_that_cannot_be_dialled(response, region):
    # Crisis replies, the fallback and the safety net's helpline too, not only topic answers.
    for band in AGE_BANDS:
        text = pick_variation(RESPONSES, response, {"location": region, "age_band": band}).get("text", "")
        bad = undiallable(text, region or UK)
        assert not bad, f"{response} in {region}: {bad}"
