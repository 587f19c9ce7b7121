"""The entity rules on a table of real-looking parent messages -> normalised values."""

import pytest

from bot.nlu.entity_rules import EntityRules


@pytest.fixture(scope="module")
def rules():
    return EntityRules()


# (message, entity, expected value); None means the entity must NOT be found.
CASES = [
    # child_age: digits, words, school years, stated ages
    ("my daughter is 14", "child_age", 14),
    ("she's fourteen", "child_age", 14),
    ("he is in year 9", "child_age", 14),
    ("year nine", "child_age", 14),
    ("my 13yo sent a nude", "child_age", 13),
    ("my 15-year-old son", "child_age", 15),
    ("a 12 year old girl", "child_age", 12),
    ("my son (16) on insta", "child_age", 16),
    ("he's just turned 13", "child_age", 13),
    ("she is aged 11", "child_age", 11),
    ("age: 10", "child_age", 10),
    ("14", "child_age", 14),
    ("fifteen", "child_age", 15),
    ("yr10", "child_age", 15),
    ("she's in y8", "child_age", 13),
    ("S3 pupil", "child_age", 14),
    ("my son is in P7", "child_age", 11),
    ("8th grade", "child_age", 14),
    ("he is in grade 10", "child_age", 16),
    ("14y/o daughter", "child_age", 14),
    ("my daughter is 14 and her boyfriend is 19", "child_age", 14),
    ("her 19 year old boyfriend messaged my 13 year old", "child_age", 13),
    ("a 25 year old man messaged my 12 year old", "child_age", 12),
    ("my twelve year old", "child_age", 12),
    ("she's nearly 16", "child_age", 16),
    ("he's 6 ft tall", "child_age", None),
    # age_band typed as a reply to the age question (its button titles)
    ("13 to 17", "age_band", "13_17"),
    ("under 13", "age_band", "under_13"),
    ("18 or over", "age_band", "18_plus"),
    ("18+", "age_band", "18_plus"),
    ("she's a teenager", "age_band", "13_17"),
    ("a man over 18 keeps messaging my daughter and wants to meet", "age_band", None),
    ("13 to 17", "child_age", None),
    # a country Harbour has no answers for: "unknown", so the parent isn't asked again
    ("we live in Spain", "location", "unknown"),
    ("we're in New Zealand", "location", "unknown"),
    ("she is 2 years older than him", "child_age", None),
    ("at 11pm he sent 3 pics", "child_age", None),
    ("it happened 2 years ago", "child_age", None),
    ("back in year 2019", "child_age", None),
    ("call 999", "child_age", None),
    ("she is 5 minutes away", "child_age", None),
    # age_band follows from the age
    ("she's 9", "age_band", "under_13"),
    ("he is 13", "age_band", "13_17"),
    ("my son is 17", "age_band", "13_17"),
    ("my daughter is 19", "age_band", "18_plus"),
    # location -> region codes
    ("we're in Scotland", "location", "GB-SCT"),
    ("i'm in dublin", "location", "IE"),
    ("we live in northern ireland", "location", "GB-NIR"),
    ("we're in N. Ireland", "location", "GB-NIR"),
    ("we live in Wales", "location", "GB-WLS"),
    ("near cardiff", "location", "GB-WLS"),
    ("in England", "location", "GB-ENG"),
    ("we're in the US", "location", "US"),
    ("texas", "location", "US"),
    ("we're in new south wales", "location", "AU"),
    ("Australia", "location", "AU"),
    ("we live in Canada", "location", "CA"),
    ("toronto", "location", "CA"),
    ("belfast", "location", "GB-NIR"),
    ("glasgow", "location", "GB-SCT"),
    ("i'm in the UK", "location", "GB"),
    ("we live in sydney", "location", "AU"),
    ("my daughter sydney", "location", None),
    ("tell us what to do", "location", None),
    ("ireland", "location", "IE"),
    # platform -> platform ids
    ("she sent it on Snap", "platform", "snapchat"),
    ("on snapchat", "platform", "snapchat"),
    ("via insta", "platform", "instagram"),
    ("whats app group", "platform", "whatsapp"),
    ("on tik tok", "platform", "tiktok"),
    ("a man on Roblox", "platform", "roblox"),
    ("discord server", "platform", "discord"),
    ("she sent a snap to a boy", "platform", None),
    ("he plays fortnite", "platform", "fortnite"),
    ("it was airdropped on the bus, via AirDrop", "platform", "imessage"),
    # relation -> canonical relation
    ("my son", "relation", "son"),
    ("our daughter", "relation", "daughter"),
    ("my step-son", "relation", "stepson"),
    ("my niece", "relation", "niece"),
    ("one of my pupils", "relation", "pupil"),
    ("our foster child", "relation", "foster child"),
    ("my granddaughter", "relation", "granddaughter"),
    ("my boy", "relation", "son"),
    ("a boy in her class", "relation", None),
    ("my kids", "relation", "child"),
]


@pytest.mark.parametrize("text,entity,expected", CASES)
def test_entity_value(rules, text, entity, expected):
    assert rules.values(text).get(entity) == expected


def test_table_is_big_enough():
    assert len(CASES) >= 60


def test_entities_carry_character_offsets_into_the_text(rules):
    text = "My 14 year old daughter sent it on Snapchat from Glasgow"
    found = {e.entity: e for e in rules.extract(text)}
    assert text[found["platform"].start : found["platform"].end] == "Snapchat"
    assert text[found["location"].start : found["location"].end] == "Glasgow"
    assert found["child_age"].value == 14


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "🙂" * 50, "a" * 10000])
def test_odd_input_never_raises(rules, text):
    assert isinstance(rules.extract(text), list)
