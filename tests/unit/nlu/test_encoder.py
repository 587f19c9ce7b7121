"""The pretrained encoder: weights checked, long input bounded, cache reused."""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlu import encoder


@pytest.fixture(scope="module")
def model():
    return encoder.shared_encoder()


def test_weights_are_the_recorded_ones():
    assert encoder.file_sha256(encoder.weights_path()) == encoder.WEIGHTS_SHA256


def test_changed_weights_fail_loudly(monkeypatch):
    monkeypatch.setattr(encoder, "WEIGHTS_SHA256", "0" * 64)
    with pytest.raises(encoder.EncoderUnavailable, match="sha256"):
        encoder.Encoder()


def test_similar_messages_are_closer_than_unrelated_ones(model):
    a, b, c = model.embed(
        [
            "my daughter sent a nude to a boy",
            "my girl sent a naked photo to a lad",
            "what time does the supermarket open",
        ]
    )
    assert float(a @ b) > float(a @ c)
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("text", ["x" * 1000, "🔪😭" * 500, "!?" * 500, "help me " * 200, "", "\x00\x01"])
def test_any_input_is_cut_to_the_token_budget_and_keeps_its_end(model, text):
    bounded = model.bounded(text)
    assert model._model.token_count(bounded, True) <= encoder.MAX_TOKENS
    assert model.embed_one(text).shape == (encoder.DIMENSIONS,)


def test_danger_at_the_end_of_a_long_message_is_kept(model):
    text = "we had a long week with school and exams and the dog was ill. " * 15 + "she has pills and says goodbye"
    assert model.bounded(text).endswith("says goodbye")


def test_cache_embeds_each_text_once(tmp_path, model):
    cache = encoder.EmbeddingCache(tmp_path / "cache.npz")
    first = cache.embed(["one message", "another message"], model)
    calls = []
    original = model.embed
    model.embed = lambda texts: calls.append(texts) or original(texts)
    try:
        again = encoder.EmbeddingCache(tmp_path / "cache.npz").embed(["another message"], model)
    finally:
        model.embed = original
    assert not calls
    assert np.allclose(again[0], first[1])
