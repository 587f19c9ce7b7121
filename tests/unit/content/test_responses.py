"""Every answer is present, sourced, safe, and names help for the parent's region."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from bot.paths import ROOT
from bot.regions import REGION_CODES
from bot.tools.content_safety import unsafe_advice
from bot.tools.responses import content_response_files, load_responses, pick_variation
from bot.topics import topics_by_section

RESPONSES = load_responses()
FORMS = set(yaml.safe_load((ROOT / "domain.yml").read_text())["forms"])
REGIONS = list(REGION_CODES)
EMERGENCY = {"IE": "112", "US": "911", "CA": "911", "AU": "000"}  # UK nations and GB: 999
CONTENT_SECTIONS = [
    "Images and sexting",
    "Consent and relationships",
    "Harmful sexual behaviour and abuse",
    "Help for the parent",
]


def pick(response: str, slots: dict) -> dict:
    return pick_variation(RESPONSES, response, slots)


def content_variations():
    for path in content_response_files():
        for name, variations in yaml.safe_load(path.read_text())["responses"].items():
            for variation in variations:
                yield path.name, name, variation


def test_every_topic_has_an_answer():
    rules = [
        rule for path in (ROOT / "data" / "rules").glob("*.yml") for rule in yaml.safe_load(path.read_text())["rules"]
    ]
    answered = {}
    for rule in rules:
        steps = rule["steps"]
        if "intent" in steps[0]:
            answered[steps[0]["intent"]] = [s["action"] for s in steps[1:] if "action" in s]
    for section, names in topics_by_section().items():
        for name in names:
            actions = answered.get(name, [])
            assert actions, f"{name} ({section}) has no rule"
            for action in actions:
                assert action in RESPONSES or action.startswith("action_") or action in FORMS, (
                    f"{name}: {action} missing"
                )


@pytest.mark.parametrize("file,name,variation", list(content_variations()))
def test_content_answers_carry_sources_and_a_recent_review_date(file, name, variation):
    meta = variation.get("metadata") or {}
    if name in ("utter_inform_age", "utter_inform_location"):
        return  # acknowledgements, no facts
    assert meta.get("sources"), f"{file}: {name} has no sources"
    assert all(s.startswith(("http://", "https://")) for s in meta["sources"])
    reviewed = dt.date.fromisoformat(str(meta.get("reviewed")))
    assert (dt.date.today() - reviewed).days <= 365, f"{file}: {name} reviewed over a year ago"


def sentences():
    for name, variations in RESPONSES.items():
        for variation in variations:
            for sentence in re.split(r"(?<=[.!?])\s+|\n+", variation.get("text", "")):
                yield name, sentence


def test_no_answer_advises_handling_a_child_image_or_paying():
    offending = {
        name: unsafe_advice(v.get("text", ""))
        for name, variations in RESPONSES.items()
        for v in variations
        if unsafe_advice(v.get("text", ""))
    }
    assert not offending, offending


@pytest.mark.parametrize(
    "sentence",
    [
        "Screenshot the image so you have proof.",
        "Save the photo to show the police.",
        "Forward the nude to the school.",
        "Keep a copy of the video as evidence.",
        "It may be easiest to just pay them.",
        "Send it to the police.",
    ],
)
def test_safety_check_catches_unsafe_advice(sentence):
    assert unsafe_advice(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Don't look at, copy, forward or screenshot the image.",
        "Never save or share the image itself.",
        "Report the post on the app as well.",
        "Keep the messages and usernames, but never the image.",
        "Don't pay and don't send anything more.",
    ],
)
def test_safety_check_allows_safe_advice(sentence):
    assert unsafe_advice(sentence) == []


def test_sextortion_answer_says_do_not_pay():
    assert "Don't pay" in pick("utter_sextortion", {})["text"]


@pytest.mark.parametrize("region", REGIONS + [None])
def test_immediate_danger_starts_with_the_regions_emergency_number(region):
    text = pick("utter_immediate_danger", {"location": region})["text"]
    number = EMERGENCY.get(region, "999")
    assert text.startswith(f"Call {number}"), text[:60]


@pytest.mark.parametrize("region", REGIONS + [None])
def test_fallback_names_a_helpline_for_the_region(region):
    text = pick("utter_default", {"location": region})["text"]
    assert re.search(r"\d{3}[ -]?\d{2,4}", text), "no phone number in the fallback"
    assert EMERGENCY.get(region, "999") in text


@pytest.mark.parametrize("response", sorted(RESPONSES))
def test_every_answer_has_exactly_one_variation_for_every_region_and_age(response):
    # Rasa picks at random among matching variations; a parent must never get a lottery.
    for region in REGIONS + [None, "unknown"]:
        for band in [None, "under_13", "13_17", "18_plus", "unknown"]:
            assert pick(response, {"location": region, "age_band": band})["text"]


def test_age_aware_answers_differ_by_age_band():
    for response in ("utter_remove_image_age", "utter_normal_sexual_development"):
        texts = {pick(response, {"age_band": band})["text"] for band in [None, "under_13", "13_17", "18_plus"]}
        assert len(texts) == 4, response
    adult = pick("utter_remove_image_age", {"age_band": "18_plus"})["text"]
    assert "StopNCII" in adult and "Revenge Porn Helpline" in adult
    assert "StopNCII" not in pick("utter_remove_image_age", {"age_band": "13_17"})["text"]


def test_unknown_region_law_answer_says_it_is_for_the_uk():
    assert "UK" in pick("utter_sexting_law", {"location": None})["text"]


def test_no_placeholder_text():
    for name, sentence in sentences():
        assert not re.search(r"\b(TODO|TBD|lorem|FIXME|XXX)\b", sentence), name


def _directory_contacts():
    from bot.services.directory import load_services

    numbers, urls = set(), set()
    for service in load_services().values():
        contact = service.contact
        for value in (
            contact.phone,
            contact.phone_alt,
            contact.emergency_phone,
            contact.phone_from_ireland,
            contact.phone_from_abroad,
            contact.textphone,
            contact.text and contact.text.number,
        ):
            if value:
                numbers.add(re.sub(r"\D", "", value))
        urls |= {u.rstrip("/") for u in [contact.web, *contact.more_web.values()] if u}
    return numbers, urls


def test_every_phone_number_and_web_address_in_an_answer_is_in_the_directory():
    numbers, urls = _directory_contacts()
    phone = re.compile(r"(?<![\w/])\+?\d[\d \-]{1,16}\d(?![\w/])")
    url = re.compile(r"https?://[^\s\"']+[^\s\"'.,)]")
    unknown = []
    for name, variations in RESPONSES.items():
        for variation in variations:
            text = variation.get("text", "")
            unknown += [(name, u) for u in url.findall(text) if u.rstrip("/") not in urls]
            unknown += [(name, p) for p in phone.findall(text) if re.sub(r"\D", "", p) not in numbers]
    assert not unknown, f"add these to directory/services.yml or take them out of the answer: {unknown}"


def test_every_bubble_is_short():
    # Rasa's REST channel sends each paragraph ("\n\n") as its own bubble.
    long = [
        (name, len(paragraph.split()))
        for name, variations in RESPONSES.items()
        for v in variations
        for paragraph in v.get("text", "").split("\n\n")
        if len(paragraph.split()) > 80
    ]
    assert not long, long
