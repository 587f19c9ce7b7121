"""Harbour's intent classifier as a Rasa graph component: trains, predicts, persists,
and runs without the encoder when config.yml says so."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from bot.nlu.classifier import EMBEDDING, NLU_INFO, HarbourIntentClassifier

WORDS = ["nude", "police", "school", "hello", "blade", "tonight"]
EXAMPLES = [
    ("she sent a nude", "nude_shared_by_child"),
    ("he sent a nude photo", "nude_shared_by_child"),
    ("should we call the police", "report_to_police"),
    ("do i report it to police", "report_to_police"),
    ("hello there", "greet"),
    ("hello", "greet"),
    ("she has a blade tonight", "immediate_danger"),
    ("he has a blade in his room tonight", "immediate_danger"),
]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HARBOUR_CACHE_DIR", str(tmp_path / "embeddings"))


def message(text, intent=None, category=None):
    data = {TEXT: text}
    if intent:
        data[INTENT] = intent
    if category:
        data["metadata"] = {"intent": {"category": category}}
    msg = Message(data=data)
    counts = csr_matrix([[text.split().count(w) for w in WORDS]], dtype=float)
    msg.add_features(Features(counts, FEATURE_TYPE_SENTENCE, TEXT, "test"))
    return msg


def component(tmp_path, use_encoder):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {"use_encoder": use_encoder}
    return HarbourIntentClassifier.create(config, storage, resource, context), storage, resource, context, config


def training_data():
    kinds = {
        "she has a blade tonight": "injury_weapon_overdose",
        "he has a blade in his room tonight": "suicide_self_harm",
    }
    return TrainingData([message(t, i, kinds.get(t)) for t, i in EXAMPLES])


@pytest.mark.parametrize("use_encoder", [False, True])
def test_trains_predicts_and_loads_back_the_same(tmp_path, use_encoder):
    classifier, storage, resource, context, config = component(tmp_path, use_encoder)
    classifier.train(training_data())
    first = classifier.process([message("should i call the police")])[0]
    assert first.get(INTENT)["name"] == "report_to_police"
    loaded = HarbourIntentClassifier.load(config, storage, resource, context)
    again = loaded.process([message("should i call the police")])[0]
    assert again.get(INTENT) == first.get(INTENT)
    assert (loaded.dense is not None) is use_encoder


def test_without_the_encoder_no_message_is_embedded(tmp_path):
    classifier, *_ = component(tmp_path, use_encoder=False)
    classifier.train(training_data())
    out = classifier.process([message("she has a blade tonight"), message("")])
    assert all(m.get(NLU_INFO)["encoder"] is False and m.get(EMBEDDING) is None for m in out)


def test_a_hint_of_danger_asks_the_encoder_and_keeps_the_embedding(tmp_path):
    classifier, *_ = component(tmp_path, use_encoder=True)
    classifier.train(training_data())
    out = classifier.process([message("she has a blade tonight")])[0]
    info = out.get(NLU_INFO)
    assert info["encoder"] is True
    assert isinstance(out.get(EMBEDDING), np.ndarray)
