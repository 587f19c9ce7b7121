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
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.entity_rules import EntityRules


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class HarbourEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds child_age, age_band, location, platform and relation from spaCy rules.

    It learns nothing from training data: the word lists live in data/lexicon/ and are
    read when the model loads, so a lexicon fix needs no retraining.
    """

    def __init__(self, config: Dict[Text, Any], rules: Optional[EntityRules] = None) -> None:
        self._config = config
        self.rules = rules or EntityRules()

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
    ) -> "HarbourEntityExtractor":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [e.as_rasa(self.name) for e in self.rules.extract(text)]
            kept = [e for e in message.get(ENTITIES, []) if e.get("extractor") != self.name]
            message.set(ENTITIES, kept + found, add_to_output=True)
        return messages
