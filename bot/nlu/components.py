"""Rasa NLU components that wrap Harbour's own language rules.

Registered with Rasa's default recipe, so config.yml names them by import path:
`bot.nlu.components.HarbourEntityExtractor`.
"""
from __future__ import annotations

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

from bot.nlu.crisis import crisis_confidence
from bot.nlu.entity_rules import EntityRules
from bot.nlu.readability import is_readable


class RuleComponent(GraphComponent):
    """A component that learns nothing from training data: rules only."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RuleComponent":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class HarbourEntityExtractor(RuleComponent, EntityExtractorMixin):
    """Adds child_age, age_band, location, platform and relation from spaCy rules.

    It learns nothing from training data: the word lists live in data/lexicon/ and are
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


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
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
                r for r in message.get(INTENT_RANKING_KEY, [])
                if r.get(INTENT_NAME_KEY) != NLU_FALLBACK_INTENT_NAME
            ]
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class CrisisDetector(RuleComponent):
    """Makes `immediate_danger` the intent when a child is at risk now (bot/nlu/crisis.py).

    Runs last, so /model/parse and every channel see the same decision. It also takes
    `immediate_danger` away from the classifier when a guard says the message is a
    figure of speech, a past event or a general question, or the classifier is unsure.
    """

    INTENT = "immediate_danger"

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get(INTENT_NAME_KEY)]
            said = next((r[PREDICTED_CONFIDENCE_KEY] for r in ranking if r[INTENT_NAME_KEY] == self.INTENT), None)
            confidence = crisis_confidence(message.get(TEXT) or "", said)
            others = [r for r in ranking if r[INTENT_NAME_KEY] != self.INTENT]
            if confidence is not None:
                crisis = {INTENT_NAME_KEY: self.INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
                message.set(INTENT, crisis, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [crisis] + others, add_to_output=True)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.INTENT:
                fallback = next(
                    (r for r in others if r[INTENT_NAME_KEY] != NLU_FALLBACK_INTENT_NAME),
                    {INTENT_NAME_KEY: NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0},
                )
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, others, add_to_output=True)
        return messages
