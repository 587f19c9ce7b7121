"""Rasa NLU components that wrap Harbour's own language rules.

Registered with Rasa's default recipe, so config.yml names them by import path:
`bot.nlu.components.HarbourEntityExtractor`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.classifier import NLU_INFO
from bot.nlu.crisis import GUARDS, PATTERN_CONFIDENCE, assess, cry_for_help
from bot.nlu.entity_rules import EntityRules
from bot.nlu.readability import is_readable
from bot.topics import content_topics


class RuleComponent(GraphComponent):
    """A component that learns nothing from training data: rules only."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **config}

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuleComponent":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _set_entities(self, message: Message, values: Dict[str, str]) -> None:
        """Replaces these entities with message-wide (zero-width) ones from this component."""
        kept = [e for e in message.get(ENTITIES, []) if e.get("entity") not in values]
        found = [
            {"entity": name, "value": value, "start": 0, "end": 0, "extractor": type(self).__name__, "confidence": 1.0}
            for name, value in values.items()
        ]
        message.set(ENTITIES, kept + found, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class HarbourEntityExtractor(RuleComponent, EntityExtractorMixin):
    """Adds child_age, age_band, location, platform and relation from spaCy rules.

    It learns nothing from training data: the word lists live in lexicon/ and are
    read when the model loads, so a lexicon fix needs no retraining.
    """

    def __init__(self, config: Dict[Text, Any], rules: Optional[EntityRules] = None) -> None:
        super().__init__(config)
        self.rules = rules or EntityRules()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [e.as_rasa(self.name) for e in self.rules.extract(text)]
            kept = [e for e in message.get(ENTITIES, []) if e.get("extractor") != self.name]
            message.set(ENTITIES, kept + found, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnreadableMessageFallback(RuleComponent):
    """Turns messages Harbour cannot read into `nlu_fallback`.

    Empty or emoji-only messages, and messages in another language, would otherwise be
    forced into whichever topic scores least badly. As `nlu_fallback` they get the reply
    that asks the parent to rephrase and names a helpline. Put it after the classifiers.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_readable(message.get(TEXT) or ""):
                continue
            fallback = {INTENT_NAME_KEY: NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [fallback] + [
                r for r in message.get(INTENT_RANKING_KEY, []) if r.get(INTENT_NAME_KEY) != NLU_FALLBACK_INTENT_NAME
            ]
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisDetector(RuleComponent):
    """Sorts every message into three tiers: danger, possible danger, or no danger.

    Runs last, so /model/parse and every channel see the same decision. The danger gate's
    probability (bot/nlu/danger_gate.py) decides, and the patterns in bot/nlu/crisis.py
    are a floor that can only add alarms (docs/danger-taxonomy.md):
    - danger: `immediate_danger`; the kind of danger is in `harbour_nlu`, so the support
      action can say what to do in the next minutes (actions/support.py);
    - possible danger: `possible_danger`, with the topic the classifier would have
      answered as the `held_topic` entity; the reply names the emergency number and asks
      whether the child is safe now, and "yes" leads back to that topic;
    - no danger: the classifier's intent, with `immediate_danger` taken out of the
      ranking when the classifier put it first without enough confidence.
    """

    INTENT = "immediate_danger"
    POSSIBLE = "possible_danger"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "danger_at": 0.5,
            "possible_at": 0.15,
            "pattern_floor": 0.05,
            "hold_at": 0.1,
            "sure_at": 0.8,
            "certain_at": 0.9,
        }

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._decide(message)
        return messages

    def _decide(self, message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get(INTENT_NAME_KEY)]
        info = message.get(NLU_INFO) or {}
        said = next((r[PREDICTED_CONFIDENCE_KEY] for r in ranking if r[INTENT_NAME_KEY] == self.INTENT), None)
        # The danger gate's answer when it ran (bot/nlu/danger_gate.py), else the classifier's.
        learned = float(info.get("gate", info.get("danger", said or 0.0)))
        text = message.get(TEXT) or ""
        verdict = assess(text)  # the patterns in bot/nlu/crisis.py, once per message
        floor = PATTERN_CONFIDENCE if verdict.crisis else None
        tier = danger_tier(
            learned,
            "acute" if verdict.acute else ("pattern" if verdict.crisis else None),
            self._config["danger_at"],
            self._config["possible_at"],
            self._config["pattern_floor"],
        )
        doubted = self._classifier_is_sure(message) or verdict.reason in GUARDS
        if tier == "danger" and floor is None and learned < self._config["certain_at"] and doubted:
            # The gate says danger, but the classifier is sure of another topic, or the words
            # are a figure of speech, the past, a question or the news (bot/nlu/crisis.py):
            # ask whether the child is safe, with the emergency number first.
            tier = "possible"
        elif tier == "possible" and floor is None and self._classifier_is_sure(message):
            # "we're in Manchester", "someone wants money or they'll share his video": the
            # intent classifier is sure of another topic, no pattern sees danger, and the gate
            # is only in doubt. On the validation folds this kept recall and cut false alarms.
            tier = "none"
        if tier == "none" and cry_for_help(text):
            tier = "possible"
        others = [r for r in ranking if r[INTENT_NAME_KEY] not in (self.INTENT, self.POSSIBLE)]
        message.set(NLU_INFO, {**info, "tier": tier}, add_to_output=True)
        if tier == "danger":
            crisis = {INTENT_NAME_KEY: self.INTENT, PREDICTED_CONFIDENCE_KEY: max(learned, floor or 0.0)}
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis] + others, add_to_output=True)
        elif tier == "possible":
            possible = {INTENT_NAME_KEY: self.POSSIBLE, PREDICTED_CONFIDENCE_KEY: learned}
            # After "safe now", the topic the message was most likely about; if none is even a
            # fair guess (unreadable, emoji only), ask to rephrase, with a helpline.
            held = next(
                (
                    r[INTENT_NAME_KEY]
                    for r in others
                    if r[INTENT_NAME_KEY] in _holdable() and r[PREDICTED_CONFIDENCE_KEY] >= self._config["hold_at"]
                ),
                NLU_FALLBACK_INTENT_NAME,
            )
            message.set(INTENT, possible, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [possible] + others, add_to_output=True)
            self._set_entities(message, {"held_topic": held})
        elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.INTENT:
            fallback = next(
                (r for r in others if r[INTENT_NAME_KEY] != NLU_FALLBACK_INTENT_NAME),
                {INTENT_NAME_KEY: NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0},
            )
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, others, add_to_output=True)

    def _classifier_is_sure(self, message: Message) -> bool:
        top = message.get(INTENT) or {}
        return (
            top.get(INTENT_NAME_KEY) not in (self.INTENT, NLU_FALLBACK_INTENT_NAME)
            and (top.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self._config["sure_at"]
        )


@lru_cache(maxsize=1)
def _holdable() -> frozenset:
    """Topics a parent can be taken back to after saying the child is safe."""
    return frozenset(content_topics()) - {CrisisDetector.INTENT}


def danger_tier(
    learned: float, pattern: Optional[str], danger_at: float, possible_at: float, pattern_floor: float
) -> str:
    """danger / possible / none, from the gate's probability and the patterns (bot/nlu/crisis.py).

    `pattern` is None, "pattern" (a danger pattern fired) or "acute" (danger stated so
    plainly that no question or past-event guard overrules it). Patterns only add alarms:
    with a pattern, the gate's doubt is danger and any probability of at least
    `pattern_floor` asks whether the child is safe; an acute pattern is never "none". On the validation folds, patterns alone fired on one near-miss in ten
    (the news, the past, the parent's own words), which the floor keeps out.
    """
    if learned >= danger_at or (pattern and learned >= possible_at):
        return "danger"
    if learned >= possible_at or pattern == "acute" or (pattern and learned >= pattern_floor):
        return "possible"
    return "none"
