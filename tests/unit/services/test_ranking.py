"""Which services a parent is pointed to, for each region, age and urgency."""

from datetime import datetime, timezone

import pytest

from bot.regions import REGION_CODES
from bot.services.directory import load_services
from bot.services.ranking import recommend
from bot.services.wording import message
from bot.topics import all_topics

SERVICES = load_services()
SATURDAY_NIGHT = datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc)
MONDAY_MORNING = datetime(2026, 11, 23, 11, 0, tzinfo=timezone.utc)
WEDNESDAY_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
REGIONS = list(REGION_CODES)
EMERGENCY = {"IE": "ie_emergency_112_999", "US": "us_emergency_911", "AU": "au_emergency_000", "CA": "ca_emergency_911"}


def ids(picks):
    return [p.service.id for p in picks]


@pytest.mark.parametrize("region", REGIONS + [None])
def test_emergency_number_first_then_24_7_lines(region):
    picks = recommend(SERVICES, "immediate_danger", region, None, SATURDAY_NIGHT)
    assert ids(picks)[0] == EMERGENCY.get(region, "uk_emergency_999_112")
    assert all(p.open_now for p in picks)
    assert len(picks) >= 2


def test_crisis_lines_in_the_uk_are_one_for_the_child_and_one_for_the_parent():
    picks = recommend(SERVICES, "immediate_danger", "GB-ENG", 14, SATURDAY_NIGHT)
    assert ids(picks)[1] == "childline"
    assert "parents" in picks[2].service.audience and not picks[2].service.urgent


@pytest.mark.parametrize("region", REGIONS + [None])
@pytest.mark.parametrize("topic", all_topics())
def test_never_an_empty_recommendation(region, topic):
    picks = recommend(SERVICES, topic, region, None, SATURDAY_NIGHT)
    assert 1 <= len(picks) <= 3


@pytest.mark.parametrize("region", REGIONS)
def test_services_belong_to_the_parents_region(region):
    for topic in ("sextortion", "remove_image", "find_support", "abuse_disclosure"):
        for pick in recommend(SERVICES, topic, region, 14, MONDAY_MORNING):
            regions = pick.service.regions
            assert region in regions or (region.startswith("GB") and "GB" in regions), (topic, pick.service.id)


def test_unknown_region_gets_uk_services():
    picks = recommend(SERVICES, "sextortion", None, 15, MONDAY_MORNING)
    assert all("GB" in p.service.regions for p in picks)


def test_nation_specific_service_comes_before_its_uk_wide_twin():
    # Same topic fit: the Scottish entry of Childline ranks above the UK-wide one.
    chosen = ids(recommend(SERVICES, "talk_to_person", "GB-SCT", 15, MONDAY_MORNING, limit=10))
    assert chosen.index("childline_scotland") < chosen.index("childline")


def test_topic_fit_outranks_region():
    # CEOP is where UK guidance sends sextortion reports, ahead of Police Scotland's 101.
    chosen = ids(recommend(SERVICES, "sextortion", "GB-SCT", 15, MONDAY_MORNING))
    assert chosen[:2] == ["ceop_safety_centre", "police_scotland"]


@pytest.mark.parametrize(
    "age,present,absent",
    [
        (11, "childline_iwf_report_remove", "stopncii"),
        (15, "childline_iwf_report_remove", "revenge_porn_helpline"),
        (19, "stopncii", "childline_iwf_report_remove"),
    ],
)
def test_removal_tools_follow_the_age_of_the_person_in_the_image(age, present, absent):
    chosen = ids(recommend(SERVICES, "remove_image", "GB-ENG", age, MONDAY_MORNING, limit=5))
    assert present in chosen and absent not in chosen


def test_adult_only_services_need_a_known_adult_age():
    chosen = ids(recommend(SERVICES, "remove_image", "GB-ENG", None, MONDAY_MORNING, limit=10))
    assert "revenge_porn_helpline" not in chosen and "stopncii" not in chosen


def test_a_24_7_option_is_added_when_the_best_ones_are_closed():
    picks = recommend(SERVICES, "parent_support", "IE", None, SATURDAY_NIGHT)
    assert any(p.open_now and p.service.hours.always_open for p in picks)


def test_closed_service_says_when_it_reopens():
    picks = recommend(SERVICES, "remove_image", "GB-ENG", 20, SATURDAY_NIGHT, limit=10)
    rph = next(p for p in picks if p.service.id == "revenge_porn_helpline")
    assert rph.open_now is False and "opens at 10:00 on Monday" in rph.availability


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("topic", all_topics())
def test_unknown_hours_are_never_called_closed(region, topic):
    # Content audit 2: a line whose hours are unconfirmed is not "closed".
    for moment in (SATURDAY_NIGHT, MONDAY_MORNING, WEDNESDAY_NOON):
        for pick in recommend(SERVICES, topic, region, None, moment):
            if not pick.service.hours_known:
                assert pick.open_now is None and "Closed" not in pick.availability, pick.service.id
        text = message(recommend(SERVICES, topic, region, None, moment), region, urgent=False)
        if "are closed at the moment" in text:
            assert all(p.open_now is False for p in recommend(SERVICES, topic, region, None, moment)[:-1])


def test_nspcc_at_noon_on_a_wednesday_is_not_called_closed():
    picks = recommend(SERVICES, "find_support", "GB", None, WEDNESDAY_NOON)
    assert "closed" not in message(picks, "GB", urgent=False).lower()


def test_same_inputs_and_clock_give_the_same_answer():
    first = recommend(SERVICES, "stranger_grooming", "US", 12, SATURDAY_NIGHT)
    assert all(ids(recommend(SERVICES, "stranger_grooming", "US", 12, SATURDAY_NIGHT)) == ids(first) for _ in range(20))
