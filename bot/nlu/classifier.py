"""Harbour's intent classifier: sparse n-grams plus a pretrained sentence encoder, cascaded.

Replaces Rasa's LogisticRegressionClassifier in config.yml. The sparse model runs on
every message; the encoder (bot/nlu/encoder.py) runs only when bot/nlu/cascade.py says it
can change the answer, and its vote is mixed in.

Everything the later components need goes on the message: the embedding (not output),
which the danger gate (bot/nlu/danger_gate.py) reuses, and `harbour_nlu` (output: whether
the encoder ran and this classifier's danger probability).
`use_encoder: false` in config.yml runs on sparse features alone.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, vstack

from bot.nlu import cascade
from bot.nlu.crisis import assess
from bot.nlu.encoder import Encoder, default_cache, shared_encoder
from bot.nlu.encoder_budget import BUDGET, MessageBudget

logger = logging.getLogger(__name__)

EMBEDDING = "harbour_embedding"
NLU_INFO = "harbour_nlu"
UNKNOWN_CATEGORY = "unspecified"


def danger_category(message: Message) -> Optional[str]:
    """The `category` a training example's intent block declares, if any."""
    metadata = message.get(METADATA) or {}
    intent_metadata = metadata.get(METADATA_INTENT) or {}
    category = intent_metadata.get("category") if isinstance(intent_metadata, dict) else None
    return str(category) if category else None


def save_arrays(model_storage: ModelStorage, resource: Resource, filename: str, arrays: Dict[str, np.ndarray]) -> None:
    """A component's weights, as plain arrays in the model (no pickle)."""
    with model_storage.write_to(resource) as directory:
        np.savez(directory / filename, **arrays)


def load_arrays(model_storage: ModelStorage, resource: Resource, filename: str, what: str) -> Dict[str, np.ndarray]:
    try:
        with model_storage.read_from(resource) as directory:
            with np.load(directory / filename, allow_pickle=False) as stored:
                return {key: stored[key] for key in stored.files}
    except (ValueError, FileNotFoundError, OSError) as error:
        raise RuntimeError(f"Harbour's {what} is missing from the model: retrain it (make train)") from error


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class HarbourIntentClassifier(IntentClassifier, GraphComponent):
    """Sparse logistic regression, with the sentence encoder's vote when it pays."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "use_encoder": True,
            # Ask the encoder when the sparse model's best guess is below this ...
            "unsure_below": 0.8,
            # ... or when it gives a child in danger at least this probability.
            "danger_above": 0.01,
            "dense_weight": 0.75,
            "sparse_c": 1.0,
            "dense_c": 32.0,
            # 100 iterations reach the same accuracy as 3,000 on the sparse model in a
            # third of the time (make train); the dense model converges in under 300.
            "sparse_max_iter": 100,
            "dense_max_iter": 3000,
            "random_state": 42,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        sparse: Optional[cascade.LinearModel] = None,
        dense: Optional[cascade.LinearModel] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.sparse = sparse
        self.dense = dense

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "HarbourIntentClassifier":
        return cls(config, model_storage, resource)

    # -- training ---------------------------------------------------------------------

    @staticmethod
    def _sparse_rows(messages: List[Message]) -> csr_matrix:
        rows = []
        for message in messages:
            sentence = message.get_sparse_features(TEXT)[1]
            rows.append(csr_matrix(sentence.features) if sentence is not None else None)
        width = max((r.shape[1] for r in rows if r is not None), default=0)
        return vstack([r if r is not None else csr_matrix((1, width)) for r in rows]).tocsr()

    def _fit(self, features, labels, c: float, max_iter: int):
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(
            C=c, max_iter=max_iter, class_weight="balanced", random_state=self.config["random_state"]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(features, labels)
        return cascade.LinearModel.from_sklearn(model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if not examples:
            return self._resource
        labels = [m.get(INTENT) for m in examples]
        self.sparse = self._fit(
            self._sparse_rows(examples), labels, self.config["sparse_c"], self.config["sparse_max_iter"]
        )
        if self.config["use_encoder"]:
            # Training may use every core; a running server embeds on one (settings).
            embeddings = default_cache().embed([m.get(TEXT) for m in examples], Encoder(threads=os.cpu_count() or 1))
            self.dense = self._fit(embeddings, labels, self.config["dense_c"], self.config["dense_max_iter"])
        self.persist()
        return self._resource

    # -- prediction -------------------------------------------------------------------

    def process(self, messages: List[Message]) -> List[Message]:
        if self.sparse is None:
            return messages
        classes = list(self.sparse.classes)
        sparse_rows = self.sparse.probabilities(self._sparse_rows(messages))
        for message, row in zip(messages, sparse_rows):
            probabilities, embedding = row, None
            text = message.get(TEXT) or ""
            if self.dense is not None and (
                cascade.needs_encoder(row, classes, self.config["unsure_below"], self.config["danger_above"])
                or assess(text).crisis
            ):
                try:
                    # Within the message's budget of encoder tokens, which the danger gate shares.
                    embedding = MessageBudget.of(message, shared_encoder).embed(whole=True)[0]
                except Exception:  # noqa: BLE001 - never lose a parent's message to the encoder
                    logger.exception("The sentence encoder failed; answering from the sparse model alone")
                if embedding is not None:
                    dense_row = self.dense.probabilities(embedding.reshape(1, -1))[0]
                    probabilities = cascade.mix(row, dense_row, self.config["dense_weight"])
            self._set(message, classes, probabilities, embedding)
        return messages

    def _set(
        self, message: Message, classes: List[str], probabilities: np.ndarray, embedding: Optional[np.ndarray]
    ) -> None:
        ranked = cascade.ranking(classes, probabilities, self.config["ranking_length"])
        message.set(INTENT, ranked[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        danger = float(probabilities[classes.index(cascade.DANGER_INTENT)]) if cascade.DANGER_INTENT in classes else 0.0
        info: Dict[str, Any] = {"encoder": embedding is not None, "danger": round(danger, 4)}
        budget = message.get(BUDGET)
        if isinstance(budget, MessageBudget):
            info["encoder_tokens"] = budget.spent
        if embedding is not None:
            message.set(EMBEDDING, embedding)
        message.set(NLU_INFO, info, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    # -- storage ----------------------------------------------------------------------

    def persist(self) -> None:
        arrays: Dict[str, np.ndarray] = {}
        for prefix, model in (("sparse", self.sparse), ("dense", self.dense)):
            if model is not None:
                arrays.update(model.as_arrays(prefix))
        save_arrays(self._model_storage, self._resource, "classifier.npz", arrays)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "HarbourIntentClassifier":
        arrays = load_arrays(model_storage, resource, "classifier.npz", "intent classifier")

        def model(prefix: str) -> Optional[cascade.LinearModel]:
            if f"{prefix}_coef" not in arrays:
                return None
            return cascade.LinearModel.from_arrays(arrays, prefix)

        merged = {**cls.get_default_config(), **config}
        dense = model("dense") if merged["use_encoder"] else None
        if dense is not None:
            shared_encoder()  # load and check the weights now, not on a parent's message
        return cls(config, model_storage, resource, model("sparse"), dense)
