"""The crisis tiers as the parent meets them: the gate's doubt asks "is your child safe?",
but not when the parent is plainly only saying where they live; a pattern still can."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.classifier import NLU_INFO
from bot.nlu.components import CrisisDetector


def decide(text, intent, confidence, gate):
    ranking = [{"name": intent, "confidence": confidence}, {"name": "find_support", "confidence": 1 - confidence}]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking, NLU_INFO: {"gate": gate}})
    CrisisDetector({}).process([message])
    return message.get(NLU_INFO)["tier"], message.get(INTENT)["name"]


def test_a_topic_the_classifier_is_sure_of_is_not_a_possible_danger():
    assert decide("they want money or they'll share his video", "sextortion", 0.9, 0.3) == ("none", "sextortion")


def test_saying_where_you_live_is_not_a_possible_danger():
    assert decide("we're in Manchester", "inform_location", 0.99, 0.35) == ("none", "inform_location")


def test_an_unsure_topic_with_the_same_doubt_is_asked_about():
    assert decide("he's with someone from the game", "stranger_grooming", 0.6, 0.35) == ("possible", "possible_danger")


def test_a_pattern_still_raises_the_alarm_even_in_a_plain_answer():
    tier, _ = decide("we're in Leeds and she's missing since last night", "inform_location", 0.95, 0.35)
    assert tier == "danger"


def test_the_gate_sure_of_danger_is_never_overruled():
    assert decide("we're in Leeds", "inform_location", 0.99, 0.95) == ("danger", "immediate_danger")


def test_when_the_gate_says_danger_and_the_classifier_is_sure_of_a_topic_harbour_asks():
    tier, intent = decide("he says he'll leave her if she won't send pics", "unhealthy_relationship", 0.9, 0.6)
    assert (tier, intent) == ("possible", "possible_danger")
    assert decide("he says he'll hurt her tonight", "unhealthy_relationship", 0.9, 0.95)[0] == "danger"


def test_a_figure_of_speech_the_gate_reads_as_danger_is_asked_about_not_declared():
    assert decide("she's dying to get a phone", "parent_support", 0.5, 0.7) == ("possible", "possible_danger")
