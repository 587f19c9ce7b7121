"""One budget of encoder tokens per message, shared by every embedding of it (issue 18, H1):
never exceeded, the last sentence kept before anything else, one call for the ends, and no
text embedded twice."""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlu import encoder
from bot.nlu.encoder_budget import LAST_SENTENCE_TOKENS, MessageBudget
from bot.tools.costly_inputs import NORMAL, costly_inputs

PADDING = "we argue about screen time and homework and her grades have dropped this term. " * 12
DANGER = "she has a knife to her wrist right now"


class Counting:
    """The real encoder, counting the calls to the engine and what each was given."""

    def __init__(self) -> None:
        self.real = encoder.shared_encoder()
        self.calls = []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def embed_fitted(self, texts):
        self.calls.append(list(texts))
        return self.real.embed_fitted(texts)


@pytest.fixture
def counting():
    return Counting()


def spend_all(text: str, counting: Counting, total: int) -> MessageBudget:
    budget = MessageBudget(text, lambda: counting, total=total)
    budget.embed(whole=True)
    budget.embed(whole=True, ends=budget.ends)
    return budget


@pytest.mark.parametrize("total", [encoder.MIN_TOKENS, 24, 64, 128, 256])
@pytest.mark.parametrize("name", ["normal", *costly_inputs()])
def test_no_message_ever_costs_more_than_its_budget(counting, name, total):
    text = NORMAL if name == "normal" else costly_inputs()[name]
    budget = spend_all(text, counting, total)
    read = sum(counting.token_count(t) for call in counting.calls for t in call)
    assert read == budget.spent <= total


def test_the_whole_message_shrinks_before_the_last_sentence_is_dropped(counting):
    budget = MessageBudget(PADDING + DANGER, lambda: counting, total=64)
    assert budget.ends[0] == DANGER
    whole, _ = budget.embed(whole=True)
    assert whole is not None and budget.spent <= 64 - counting.token_count(DANGER)
    _, ends = budget.embed(whole=False, ends=budget.ends)
    assert DANGER in ends  # the last sentence always fits
    alone = counting.real.embed([DANGER])[0]
    assert float(ends[DANGER] @ alone) == pytest.approx(1.0, abs=1e-4)


def test_a_long_last_sentence_is_cut_to_its_end_not_dropped(counting):
    last = "and then " * 40 + DANGER
    budget = MessageBudget(PADDING + last, lambda: counting, total=64)
    budget.embed(whole=True)
    _, ends = budget.embed(whole=False, ends=budget.ends[:1])
    assert ends and counting.calls[-1][0].endswith(DANGER)
    assert counting.token_count(counting.calls[0][0]) <= 64 - LAST_SENTENCE_TOKENS  # the whole message shrank
    assert budget.spent <= 64


def test_the_ends_are_embedded_in_one_call_and_the_whole_message_once(counting):
    budget = MessageBudget(PADDING + "she is scared. " + DANGER, lambda: counting, total=512)
    first, _ = budget.embed(whole=True)
    again, ends = budget.embed(whole=True, ends=budget.ends + budget.ends)
    assert len(counting.calls) == 2 and len(counting.calls[1]) == len(budget.ends)
    assert again is first and set(ends) == set(budget.ends)
    budget.embed(whole=True, ends=budget.ends)  # everything is known: no third call
    assert len(counting.calls) == 2


def test_a_short_message_has_no_ends_and_keeps_the_full_token_cap(counting):
    text = "my 14 year old daughter sent a nude to a boy in her class and now it is going round the school"
    budget = MessageBudget(text, lambda: counting, total=128)
    assert budget.ends == []
    budget.embed(whole=True)
    assert counting.calls[0][0] == encoder.prepare(text)


def test_a_budget_too_small_for_an_embedding_asks_the_encoder_nothing(counting):
    budget = MessageBudget(PADDING + DANGER, lambda: counting, total=encoder.MIN_TOKENS - 1)
    assert budget.embed(whole=True, ends=budget.ends) == (None, {})
    assert counting.calls == [] and budget.spent == 0


def test_an_encoder_failure_reaches_the_caller():
    class Broken:
        def token_count(self, text):
            return 10

        def fit(self, text, cap, keep_start=True):
            return text[:10], 10

        def embed_fitted(self, texts):
            raise RuntimeError("weights unreadable")

    with pytest.raises(RuntimeError):
        MessageBudget(PADDING + DANGER, Broken, total=128).embed(whole=True)


def test_the_budget_travels_on_the_message():
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": PADDING + DANGER})
    budget = MessageBudget.of(message, encoder.shared_encoder)
    assert MessageBudget.of(message, encoder.shared_encoder) is budget
    assert isinstance(budget.embed(whole=True)[0], np.ndarray)
