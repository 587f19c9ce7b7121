"""Place names found in two regions (lexicon/ambiguous_places.yml): every name with and
without a qualifier, through the entity rules that fill the location slot, and the words
Harbour uses to say what it assumed."""

from __future__ import annotations

import pytest

from bot.nlu.entity_rules import EntityRules
from bot.regions import PLACE_CODES
from bot.services.places import (
    OPENING,
    PlacesError,
    assumption_note,
    button,
    load_places,
    read_place,
    switch_note,
)

PLACES = load_places()
RULES = EntityRules()
JOINERS = (" ", ", ", " in ")


def region_of(text: str):
    return RULES.values(text).get("location")


def test_the_file_has_every_name_the_issue_names():
    assert {"perth", "london", "birmingham", "halifax", "richmond", "newcastle", "cambridge"} <= set(PLACES)
    assert {"aberdeen", "dover", "victoria"} <= set(PLACES)
    for place in PLACES.values():
        assert place.default in PLACE_CODES and len(place.readings) >= 2


@pytest.mark.parametrize("name", sorted(PLACES))
def test_a_bare_name_gives_its_default_region(name):
    place = PLACES[name]
    assert region_of(f"we live in {name.title()}") == place.default
    guess = read_place(f"we live in {name.title()}")
    assert guess.place.name == name and guess.reading.region == place.default and not guess.said


CASES = [
    (name, reading.region, qualifier, joiner)
    for name, place in sorted(PLACES.items())
    for reading in place.readings.values()
    for qualifier in reading.qualifiers
    for joiner in JOINERS
]


@pytest.mark.parametrize("name,region,qualifier,joiner", CASES)
def test_a_qualifier_right_after_the_name_picks_its_reading(name, region, qualifier, joiner):
    text = f"my son is 14 and we're in {name.title()}{joiner}{qualifier.upper() if len(qualifier) <= 3 else qualifier}"
    assert region_of(text) == region, text  # the slot, straight from the entity rules
    guess = read_place(text)
    assert guess.said and guess.reading.region == region, text


@pytest.mark.parametrize(
    "name,reading",
    [(name, reading) for name, place in sorted(PLACES.items()) for reading in place.readings.values()],
)
def test_the_correction_harbour_suggests_is_understood(name, reading):
    # "tell me if you're in Western Australia": typed back, it must set that region.
    assert region_of(f"we're in {reading.where}") == reading.region, reading.where


def test_a_qualifier_further_on_picks_its_reading_but_a_short_one_does_not():
    far = read_place("we live in Perth, it's a long way from anywhere in Western Australia")
    assert far.said and far.reading.region == "AU"
    short = read_place("we live in Perth. wa is what my son calls his nan")
    assert not short.said and short.reading.region == "GB-SCT"
    qualified_default = read_place("Perth in Scotland")
    assert qualified_default.said and qualified_default.reading.region == "GB-SCT"
    assert read_place("Perthshire is lovely") is None  # part of another word
    assert read_place("we're in Leeds") is None


def test_the_note_names_the_assumption_and_the_way_to_correct_it():
    guess = read_place("we live in Perth")
    note = assumption_note(guess, urgent=False)
    assert note.startswith(OPENING) and "Perth in Scotland" in note and "Western Australia" in note
    assert button(PLACES["perth"].readings["AU"]) == {
        "title": "Perth in Western Australia",
        "payload": '/inform_location{"location": "AU"}',
    }
    richmond = assumption_note(read_place("Richmond"), urgent=False)
    assert "Virginia or British Columbia" in richmond


def test_in_danger_the_note_gives_no_other_country_number_but_a_button_for_it():
    guess = read_place("a man is outside, we're in Birmingham")
    note = assumption_note(guess, urgent=True)
    assert "Birmingham in England" in note and "Birmingham in Alabama" in note and "911" not in note
    assert button(PLACES["birmingham"].readings["US"], urgent=True)["payload"] == (
        '/immediate_danger{"location": "US"}'
    )


def test_following_a_far_qualifier_says_so_and_in_danger_gives_that_number():
    guess = read_place("we live in Perth, a long way out in Western Australia")
    text = switch_note(guess, {"AU": "000"}, urgent=True)
    assert "Western Australia" in text and "000" in text
    assert "000" not in switch_note(guess, {"AU": "000"}, urgent=False)


def test_a_default_without_a_reading_is_refused(tmp_path):
    path = tmp_path / "ambiguous_places.yml"
    path.write_text(
        "places:\n  perth:\n    default: IE\n    readings:\n"
        "      GB-SCT: {label: Perth in Scotland, where: Scotland, qualifiers: [scotland]}\n"
        "      AU: {label: Perth in Western Australia, where: Western Australia, qualifiers: [wa]}\n"
    )
    with pytest.raises(PlacesError, match="perth: the default IE has no reading"):
        load_places(path)
