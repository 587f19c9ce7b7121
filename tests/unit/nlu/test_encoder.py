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


@pytest.mark.parametrize("cap", [encoder.MIN_TOKENS, 24, 48, encoder.MAX_TOKENS])
@pytest.mark.parametrize("text", ["x" * 1000, "🔪😭" * 500, "!?" * 500, "help me " * 200, "аеорсхуі " * 100])
def test_fit_never_passes_its_cap_and_can_keep_the_end_alone(model, text, cap):
    both, tokens = model.fit(text, cap)
    end, end_tokens = model.fit(text + " the end", cap, keep_start=False)
    assert tokens == model.token_count(both) <= cap and end_tokens == model.token_count(end) <= cap
    assert end.endswith("the end") or end_tokens < 12


def test_fit_refuses_a_cap_too_small_to_be_worth_an_embedding(model):
    with pytest.raises(ValueError):
        model.fit("hello", encoder.MIN_TOKENS - 1)


def test_the_engine_runs_on_the_threads_it_was_given(model):
    # scikit-learn loads the same OpenMP runtime first in a Rasa process, so the engine's
    # OMP_NUM_THREADS was ignored and it ran on every core (issue 18, H1).
    import sklearn.linear_model  # noqa: F401 - loads the shared OpenMP runtime, as Rasa does

    model.embed(["hello"])
    assert model._model._lib.omp_get_max_threads() == model.threads
