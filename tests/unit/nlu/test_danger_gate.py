"""The danger gate: tells a child in danger now from near-misses on the same subjects,
names the kind of danger, reads the end of a long message, persists, and still answers
when the sentence encoder fails."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from bot.nlu import danger_gate
from bot.nlu.classifier import NLU_INFO
from bot.nlu.danger_gate import DangerGate
from bot.nlu.danger_model import HASH_FEATURES, _idf, _tfidf

DANGER = [
    ("she has a knife to her wrist right now", "suicide_self_harm"),
    ("he says he will jump off the bridge tonight", "suicide_self_harm"),
    ("she texted goodbye and her phone is off now", "suicide_self_harm"),
    ("he swallowed all the pills in the cupboard an hour ago", "injury_weapon_overdose"),
    ("she is not breathing properly after the tablets", "injury_weapon_overdose"),
    ("he took a whole packet of painkillers just now", "injury_weapon_overdose"),
]
NEAR = [
    "she had a knife to her wrist two years ago and is doing well now",
    "what should i do if he ever says he wants to jump",
    "i could jump off a bridge myself, this week has been awful",
    "a boy at her school took pills last year, how do i talk about it",
    "the news said a girl swallowed tablets, how common is that",
    "he used to say goodbye like that when he was little",
]
OTHER = ["she sent a nude to a boy", "should we call the police", "hello there", "what is the law on sexting"]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HARBOUR_CACHE_DIR", str(tmp_path / "embeddings"))


def example(text, intent, metadata=None):
    data = {TEXT: text, INTENT: intent}
    if metadata:
        data["metadata"] = {"intent": metadata}
    return Message(data=data)


def training_data():
    rows = [example(t, "immediate_danger", {"category": k}) for t, k in DANGER]
    rows += [example(t, "parent_support", {"near_miss": "past_resolved"}) for t in NEAR]
    rows += [example(t, "find_support") for t in OTHER]
    return TrainingData(rows)


def component(tmp_path, **config):
    storage, resource = LocalModelStorage(tmp_path), Resource("gate")
    context = ExecutionContext(GraphSchema({}), "test")
    return DangerGate.create(config, storage, resource, context), storage, resource, context


def gate(messages):
    return [m.get(NLU_INFO)["gate"] for m in messages]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    path = tmp_path_factory.mktemp("gate")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARBOUR_CACHE_DIR", str(path / "embeddings"))
        component_, storage, resource, context = component(path)
        component_.train(training_data())
    return component_, storage, resource, context


def test_danger_now_scores_above_the_same_words_in_the_past_or_a_question(trained):
    model = trained[0]
    now, past, question = gate(
        model.process(
            [
                Message(data={TEXT: "she has a knife to her wrist right now"}),
                Message(data={TEXT: "she had a knife to her wrist two years ago and is doing well now"}),
                Message(data={TEXT: "what should i do if he ever says he wants to jump"}),
            ]
        )
    )
    assert now > 0.5 > max(past, question)


def test_the_kind_of_danger_is_named(trained):
    out = trained[0].process([Message(data={TEXT: "he took a whole packet of painkillers just now"})])[0]
    assert out.get(NLU_INFO)["danger_category"] == "injury_weapon_overdose"


def test_danger_in_the_last_lines_of_a_long_message_is_not_diluted(trained):
    model = trained[0]
    padding = "we argue about screen time and homework and her grades have dropped this term. " * 6
    whole = model.process([Message(data={TEXT: padding})])[0]
    buried = model.process([Message(data={TEXT: padding + "she has a knife to her wrist right now"})])[0]
    alone = model.process([Message(data={TEXT: "she has a knife to her wrist right now"})])[0]
    assert gate([buried])[0] >= 0.5 * gate([alone])[0] > gate([whole])[0]
    assert buried.get(NLU_INFO)["danger_category"] == "suicide_self_harm"


def test_loads_back_the_same_scores(trained):
    model, storage, resource, context = trained
    loaded = DangerGate.load({}, storage, resource, context)
    texts = ["she has a knife to her wrist right now", "should we call the police"]
    assert gate(loaded.process([Message(data={TEXT: t}) for t in texts])) == gate(
        model.process([Message(data={TEXT: t}) for t in texts])
    )


def test_an_encoder_failure_still_gives_a_score_from_the_ngrams(trained, monkeypatch):
    class Broken:
        def embed_one(self, text):
            raise RuntimeError("weights unreadable")

    monkeypatch.setattr(danger_gate, "shared_encoder", lambda: Broken())
    out = trained[0].process([Message(data={TEXT: "he says he will jump off the bridge tonight"})])[0]
    assert 0.0 <= out.get(NLU_INFO)["gate"] <= 1.0
    assert "danger_category" not in out.get(NLU_INFO)


def test_data_without_danger_examples_trains_a_gate_that_leaves_messages_alone(tmp_path):
    model, storage, resource, context = component(tmp_path)
    model.train(TrainingData([example(t, "find_support") for t in OTHER]))
    loaded = DangerGate.load({}, storage, resource, context)
    out = loaded.process([Message(data={TEXT: "hello"})])[0]
    assert out.get(NLU_INFO) is None


def test_tfidf_matches_sklearn():
    texts = ["she has a knife", "he has a knife now", "hello there hello"]
    counts = HashingVectorizer(n_features=HASH_FEATURES, alternate_sign=False, norm=None).transform(texts)
    ours = _tfidf(counts, _idf(counts)).toarray()
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts).toarray()
    assert np.allclose(ours, theirs)


def test_a_message_s_parts_are_read_alone_only_when_the_whole_shows_some_danger(trained):
    model, storage, resource, _ = trained

    def with_parts_above(threshold):
        return DangerGate({**model.config, "ends_above": threshold}, storage, resource, model.model)

    def scored(component_, text):
        info = component_.process([Message(data={TEXT: text})])[0].get(NLU_INFO)
        return info["gate"], info["encoder_tokens"]

    # Danger after a question: the whole message shows some danger, so its last sentence
    # is read alone too and counts.
    buried = "what is the law on sexting? she has a knife to her wrist right now"
    whole_only, _ = scored(with_parts_above(1.1), buried)
    assert whole_only >= model.config["ends_above"]
    assert scored(model, buried)[0] > whole_only
    # An ordinary message: nothing of it reaches the encoder beyond the whole.
    calm = "hello there. should we call the police? what is the law on sexting"
    assert scored(with_parts_above(1.1), calm)[0] < model.config["ends_above"]
    assert scored(model, calm) == scored(with_parts_above(1.1), calm)
    assert scored(with_parts_above(0.0), calm)[1] > scored(model, calm)[1]
