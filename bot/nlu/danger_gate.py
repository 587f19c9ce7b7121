"""Rasa component for the danger gate (bot/nlu/danger_model.py): is a child in danger now?

Runs after the intent classifier and before the crisis tiers (bot/nlu/components.py),
and puts on `harbour_nlu`:
- `gate`: the probability that the message describes a child in danger now; for a long
  message, the highest of the whole message's and its ends' (the last sentence, the last
  two, the last lines: danger is often the last thing a frightened parent writes);
- `danger_category`: which kind of danger, when the embedding was computed, so the danger
  reply can say what to do in the next minutes for that kind (actions/crisis.py).
The sentence embedding the intent classifier computed is reused; otherwise it is computed
only when the n-gram stage gives danger at least `encode_above`, within the message's
budget of encoder tokens (bot/nlu/encoder_budget.py). A message's parts
(cascade.message_ends) are scored alone only when the whole scores at least `ends_above`.
If the encoder fails, the n-gram stage's answer stands and the patterns
(bot/nlu/crisis.py) are still a floor.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import cascade
from bot.nlu.classifier import EMBEDDING, NLU_INFO, danger_category, load_arrays, save_arrays
from bot.nlu.danger_model import DangerModel
from bot.nlu.encoder import Encoder, default_cache, shared_encoder
from bot.nlu.encoder_budget import MessageBudget

logger = logging.getLogger(__name__)


def near_miss_kind(message: Message) -> Optional[str]:
    """The near-miss category a training example's intent block declares (docs/danger-taxonomy.md)."""
    metadata = (message.get(METADATA) or {}).get(METADATA_INTENT) or {}
    kind = metadata.get("near_miss") if isinstance(metadata, dict) else None
    return str(kind) if kind else None


def is_near_miss(message: Message) -> bool:
    return near_miss_kind(message) is not None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class DangerGate(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Chosen on the validation folds (docs/danger-taxonomy.md, "How the gate was tuned").
            "c": 8.0,
            "near_miss_weight": 6.0,
            "embedding_scale": 2.0,
            "encode_above": 0.02,
            # A message's parts (cascade.message_ends) are scored alone only when the whole
            # message scores at least this: on held-out writers, recall 0.982 with 11.6%
            # near-miss alarms (possible_at 0.10), against 0.978 and 15.8% when every
            # message's parts were read (possible_at 0.15). docs/danger-taxonomy.md.
            "ends_above": 0.05,
            # Messages longer than this also have their last lines scored on their own.
            "long_message": cascade.LONG_MESSAGE,
            "random_state": 42,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[DangerModel] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DangerGate":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        in_danger = [m.get(INTENT) == cascade.DANGER_INTENT for m in examples]
        arrays: Dict[str, np.ndarray] = {}
        if any(in_danger) and not all(in_danger):
            self.model = self._fit(examples, in_danger)
            arrays = self.model.as_arrays()
        save_arrays(self._model_storage, self._resource, "danger_gate.npz", arrays)
        return self._resource

    def _fit(self, examples: List[Message], in_danger: List[bool]) -> DangerModel:
        texts = [m.get(TEXT) for m in examples]
        embeddings = default_cache().embed(texts, Encoder(threads=os.cpu_count() or 1))
        return DangerModel.fit(
            texts,
            in_danger,
            [is_near_miss(m) for m in examples],
            embeddings,
            [danger_category(m) if danger else None for m, danger in zip(examples, in_danger)],
            c=self.config["c"],
            near_miss_weight=self.config["near_miss_weight"],
            embedding_scale=self.config["embedding_scale"],
            random_state=self.config["random_state"],
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            # Every embedding of a message comes out of one budget of encoder tokens, shared
            # with the intent classifier, whose embedding of the whole message is reused
            # (bot/nlu/encoder_budget.py).
            budget = MessageBudget.of(message, shared_encoder, self.config["long_message"])
            embedding = message.get(EMBEDDING)
            features = self.model.text_features([text])
            first = float(self.model.first_stage(features)[0])
            found, _, encoder_works = self._embed(budget, embedding is None and first >= self.config["encode_above"])
            danger, kind = self._score(features, first, embedding if embedding is not None else found)
            if danger >= self.config["ends_above"] and budget.ends:
                # The message shows some danger: its parts are scored alone too, in one pass
                # of the n-gram stage, and those that need the encoder in one call.
                end_features = self.model.text_features(budget.ends)
                firsts = [float(f) for f in self.model.first_stage(end_features)]
                wanted = [end for end, f in zip(budget.ends, firsts) if f >= self.config["encode_above"]]
                end_embeddings = self._embed(budget, False, wanted)[1] if wanted and encoder_works else {}
                for i, end in enumerate(budget.ends):
                    end_danger, end_kind = self._score(end_features[i : i + 1], firsts[i], end_embeddings.get(end))
                    if end_danger > danger:
                        danger, kind = end_danger, end_kind or kind
            info = {**(message.get(NLU_INFO) or {}), "gate": round(float(danger), 4), "encoder_tokens": budget.spent}
            if kind:
                info["danger_category"] = kind
            message.set(NLU_INFO, info, add_to_output=True)
        return messages

    @staticmethod
    def _embed(
        budget: MessageBudget, whole: bool, ends: Sequence[str] = ()
    ) -> Tuple[Optional[np.ndarray], Dict[str, np.ndarray], bool]:
        """budget.embed, and whether the encoder worked: if it fails, the n-gram stage's
        answer stands and the patterns are still a floor."""
        try:
            found, end_embeddings = budget.embed(whole, ends)
            return found, end_embeddings, True
        except Exception:  # noqa: BLE001 - see the docstring
            logger.exception("The sentence encoder failed; the danger gate uses n-grams alone")
            return None, {}, False

    def _score(self, features: Any, first: float, embedding: Optional[np.ndarray]) -> Tuple[float, Optional[str]]:
        if embedding is None:
            return first, None
        return float(self.model.danger(features, embedding.reshape(1, -1))[0]), self.model.kind(embedding)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "DangerGate":
        arrays = load_arrays(model_storage, resource, "danger_gate.npz", "danger gate")
        if not arrays:  # trained on data without a danger example
            return cls(config, model_storage, resource)
        shared_encoder()  # load and check the weights now, not on a parent's message
        return cls(config, model_storage, resource, DangerModel.from_arrays(arrays))
