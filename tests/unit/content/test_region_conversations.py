"""Multi-turn conversations across all nine regions (issue 15, item 7), without a model.

Each conversation is the sequence of topics a parent raises once Harbour knows where they
live (or after they changed it). Every turn is what the rules send: the answers, picked for
the slots as Rasa would, then action_recommend_support's text and cards. The conversation
must name the routes listed, must not contain the phrases listed, and no turn may offer a
number that cannot be dialled from the region or advise handling an image or paying.
The NLU side of the same journeys is tested live by tests/stack/test_journeys.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.regions import ELSEWHERE, REGION_CODES
from bot.tools.content_safety import unsafe_advice

# The helpers of the fall-through test: one definition of a turn and of "dialable".
_spec = importlib.util.spec_from_file_location("fallthrough", Path(__file__).with_name("test_region_fallthrough.py"))
fallthrough = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fallthrough)

# (name, [(region, topic), ...], must appear, must not appear)
CONVERSATIONS = [
    # The seven that fell short in the issue's own trial.
    (
        "UK sextortion mentions Report Remove",
        [("GB-ENG", "sextortion"), ("GB-ENG", "remove_image")],
        ["Report Remove", "CEOP", "999", "don't pay any more"],
        [],
    ),
    (
        "Irish sextortion names the Gardaí and Hotline.ie",
        [("IE", "sextortion"), ("IE", "report_to_police")],
        ["Gardaí", "Hotline.ie", "112"],
        ["0808", "CEOP"],
    ),
    (
        "Irish image on a website names Hotline.ie",
        [("IE", "nude_of_child_circulating"), ("IE", "remove_image")],
        ["Hotline.ie", "Take It Down"],
        ["childline.org.uk", "0808"],
    ),
    (
        "Irish child missing after a leak gets 112 or 999",
        [("IE", "nude_of_child_circulating"), ("IE", "immediate_danger")],
        ["112 or 999", "1800 66 66 66", "116 123"],
        ["0800 1111"],
    ),
    (
        "US son suicidal after sextortion",
        [("US", "sextortion"), ("US", "immediate_danger")],
        ["don't pay any more", "CyberTipline", "911", "988"],
        ["999", "CEOP"],
    ),
    (
        "Australian parent with a man outside the house",
        [("AU", "stranger_grooming"), ("AU", "immediate_danger")],
        ["000", "ACCCE", "13 11 14"],
        ["999", "CEOP"],
    ),
    (
        "Australian sextortion names eSafety and the ACCCE",
        [("AU", "sextortion"), ("AU", "evidence_handling")],
        ["eSafety", "ACCCE", "000", "Kids Helpline"],
        ["CEOP", "101"],
    ),
    # England
    (
        "England: nude sent, law, school",
        [("GB-ENG", "nude_shared_by_child"), ("GB-ENG", "sexting_law"), ("GB-ENG", "what_school_will_do")],
        ["Outcome 21", "Designated Safeguarding Lead", "101"],
        [],
    ),
    (
        "England: grooming then reporting",
        [("GB-ENG", "stranger_grooming"), ("GB-ENG", "report_to_police")],
        ["999", "CEOP", "101"],
        [],
    ),
    (
        "England: harmful behaviour",
        [("GB-ENG", "child_harmful_sexual_behaviour"), ("GB-ENG", "talk_to_person")],
        ["0808 1000 900", "0808 800 5000"],
        [],
    ),
    # UK-wide (the parent said "the UK")
    (
        "UK-wide: sextortion and removal",
        [("GB", "sextortion"), ("GB", "remove_image"), ("GB", "report_to_police")],
        ["Report Remove", "CEOP", "101", "999"],
        [],
    ),
    # Wales
    (
        "Wales: school process is Welsh",
        [("GB-WLS", "nude_received_by_child"), ("GB-WLS", "what_school_will_do")],
        ["Designated Safeguarding Person", "Welsh Government"],
        ["UKCIS"],
    ),
    (
        "Wales: abuse disclosure",
        [("GB-WLS", "abuse_disclosure"), ("GB-WLS", "parent_support")],
        ["999", "101", "0808 800 5000"],
        [],
    ),
    ("Wales: unhealthy relationship", [("GB-WLS", "unhealthy_relationship")], ["999", "CEOP", "0800 1111"], []),
    # Scotland
    (
        "Scotland: sextortion names Police Scotland",
        [("GB-SCT", "sextortion"), ("GB-SCT", "report_to_police")],
        ["Police Scotland", "CEOP", "999", "Report Remove"],
        [],
    ),
    (
        "Scotland: law and school",
        [("GB-SCT", "sexting_law"), ("GB-SCT", "what_school_will_do")],
        ["Children's Reporter", "child protection coordinator"],
        ["In England and Wales police can record", "Designated Safeguarding Lead"],
    ),
    ("Scotland: grooming", [("GB-SCT", "stranger_grooming")], ["999", "Police Scotland", "CEOP"], []),
    # Northern Ireland
    (
        "Northern Ireland: school process is NI's",
        [("GB-NIR", "nude_shared_by_child"), ("GB-NIR", "what_school_will_do")],
        ["Designated Teacher for Child Protection"],
        ["Designated Safeguarding Lead", "UKCIS"],
    ),
    (
        "Northern Ireland: sextortion names the PSNI",
        [("GB-NIR", "sextortion"), ("GB-NIR", "report_to_police")],
        ["PSNI", "CEOP", "999"],
        [],
    ),
    ("Northern Ireland: abuse disclosure", [("GB-NIR", "abuse_disclosure")], ["PSNI", "999"], []),
    # Ireland
    (
        "Ireland: school process is Irish",
        [("IE", "child_shared_someone_elses_nude"), ("IE", "what_school_will_do")],
        ["Designated Liaison Person", "Tusla"],
        ["Designated Safeguarding Lead", "UKCIS"],
    ),
    (
        "Ireland: harmful behaviour uses the Irish number",
        [("IE", "child_harmful_sexual_behaviour")],
        ["+44 1372 847 161", "Tusla"],
        ["0808 1000 900", "0818 924 567"],
    ),
    (
        "Ireland: law",
        [("IE", "sexting_law"), ("IE", "age_of_consent")],
        ["Coco's Law", "Garda Youth Diversion", "17"],
        ["Outcome 21"],
    ),
    (
        "Ireland: parent support offers Samaritans",
        [("IE", "parent_support"), ("IE", "talk_to_person")],
        ["116 123"],
        ["0808 800 5000"],
    ),
    # United States
    ("US: grooming", [("US", "stranger_grooming"), ("US", "evidence_handling")], ["911", "CyberTipline"], ["CEOP"]),
    ("US: law is federal", [("US", "sexting_law")], ["federal law"], ["Outcome 21"]),
    ("US: school is neutral", [("US", "what_school_will_do")], ["child protection"], ["Designated Safeguarding Lead"]),
    # Australia
    (
        "Australia: law has exceptions",
        [("AU", "sexting_law"), ("AU", "age_of_consent")],
        ["Victoria", "000"],
        ["Outcome 21"],
    ),
    (
        "Australia: abuse disclosure",
        [("AU", "abuse_disclosure"), ("AU", "parent_support")],
        ["000", "13 11 14"],
        ["0808"],
    ),
    # Canada
    (
        "Canada: harmful behaviour gets no UK freephone",
        [("CA", "child_harmful_sexual_behaviour")],
        ["1-800-422-4453", "911"],
        ["0808 1000 900"],
    ),
    (
        "Canada: sextortion",
        [("CA", "sextortion"), ("CA", "remove_image")],
        ["Cybertip.ca", "NeedHelpNow", "911"],
        ["CEOP", "999"],
    ),
    ("Canada: law", [("CA", "sexting_law")], ["Criminal Code"], ["Outcome 21"]),
    # Somewhere Harbour has no answers for, and changes of region mid-way.
    (
        "Elsewhere: sextortion lists every region",
        [(ELSEWHERE, "sextortion"), (ELSEWHERE, "report_to_police")],
        ["999", "112", "911", "000", "local police"],
        [],
    ),
    (
        "Elsewhere: danger gives every emergency number",
        [(ELSEWHERE, "immediate_danger")],
        ["999 in the UK", "112 or 999 in Ireland", "911 in the US and Canada", "000 in Australia"],
        ["0800 1111,"],
    ),
    (
        "Changed from England to Ireland: danger follows the last region",
        [("GB-ENG", "sextortion"), ("IE", "immediate_danger")],
        ["112 or 999"],
        [],
    ),
    (
        "Changed from Australia to Canada",
        [("AU", "stranger_grooming"), ("CA", "report_to_police")],
        ["911", "Cybertip.ca"],
        [],
    ),
]


def test_conversations_cover_every_region():
    regions = {region for _, steps, _, _ in CONVERSATIONS for region, _ in steps}
    assert regions == set(REGION_CODES) | {ELSEWHERE}
    assert len(CONVERSATIONS) >= 30


@pytest.mark.parametrize("name,steps,must,must_not", CONVERSATIONS, ids=[c[0] for c in CONVERSATIONS])
def test_conversation(name, steps, must, must_not):
    said = []
    for region, topic in steps:
        text = fallthrough.turn(topic, region)
        assert not fallthrough.undiallable("\n\n".join(fallthrough.answers(topic, region)), region), (region, topic)
        assert not unsafe_advice(text), (region, topic, unsafe_advice(text))
        said.append(text)
    last_region = steps[-1][0]
    if steps[-1][1] == "immediate_danger" and last_region != ELSEWHERE:
        number = fallthrough.EMERGENCY.get(last_region, "999")
        assert said[-1].startswith(f"Call {number}"), said[-1][:60]
    everything = "\n\n".join(said)
    assert [m for m in must if m not in everything] == [], name
    assert [m for m in must_not if m in everything] == [], name
