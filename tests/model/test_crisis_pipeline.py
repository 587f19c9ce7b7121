"""Crisis detection: held-out sets through the trained NLU pipeline, as every channel sees it."""

import asyncio

import pytest

from tests.unit.nlu.test_crisis import CRISIS, MAX_FALSE_ALARMS, MIN_RECALL, NOT_CRISIS


@pytest.fixture(scope="module")
def intents(trained_model):
    from rasa.core.agent import Agent

    async def parse_all():
        agent = Agent.load(str(trained_model))
        return {t: (await agent.parse_message(t))["intent"]["name"] for t in CRISIS + NOT_CRISIS}

    return asyncio.run(parse_all())


def test_crisis_recall_and_false_alarms_through_the_pipeline(intents):
    # A crisis is caught by the danger reply or by the possible-danger check, which opens with
    # the emergency number (as issue 13 counts it). On this regression set a false alarm is
    # the full danger reply to a message that is not one; the blind gate
    # (tests/model/test_blind_gates.py) also counts the check.
    missed = [t for t in CRISIS if intents[t] not in ("immediate_danger", "possible_danger")]
    alarms = [t for t in NOT_CRISIS if intents[t] == "immediate_danger"]
    recall, false_alarms = 1 - len(missed) / len(CRISIS), len(alarms) / len(NOT_CRISIS)
    assert recall >= MIN_RECALL, f"recall {recall:.3f}; missed {missed}"
    assert false_alarms <= MAX_FALSE_ALARMS, f"false alarms {false_alarms:.3f}: {alarms}"
