"""H1: a 1,000-character message of random emoji or `!?` stalled the service, even refused.

Costs are compared with ordinary 1,000-character parent messages measured in the same
run, in process and in CPU time, so the tests hold on a busy or a quiet machine.
"""

from __future__ import annotations

import asyncio
import statistics

import pytest

from bot import settings
from bot.tools.costly_inputs import NORMAL, cost_ms, costly_inputs, nlu_costs, ordinary_messages, web_door
from tests.security.helpers import FakeRasa, body, client, post

# Before the fix the `!?` run cost about 70 to 200 times a normal message at the web door;
# now the worst costs about 3 to 5 times.
WEB_RATIO = 10.0
# Rasa's NLU: the costliest crafted input against what an ordinary long parent's message can
# cost (the 90th percentile of those that consulted the encoder). Every message has the
# same ceiling of encoder tokens (bot/nlu/encoder_budget.py), so a crafted input can only
# cost what a long, frightened parent's message already does: measured 1.09 on a quiet
# machine in stop 22. (Against the median, 1.34-1.85: since stop 22 a message's parts are
# read alone only when it shows danger, so most ordinary messages got cheaper and the
# median stopped being "what a long message costs".)
RASA_RATIO = 1.3


def test_h1_no_1000_character_input_costs_more_than_a_few_normal_messages_at_the_web_door():
    web_door("warm up the tokenizer and the word lists")
    normal = max(cost_ms(web_door, NORMAL), 0.3)  # floor: timer noise on a tiny cost
    costs = {name: cost_ms(web_door, text) for name, text in costly_inputs().items()}
    worst = max(costs, key=costs.get)
    assert costs[worst] <= WEB_RATIO * normal, (
        f"{worst!r} costs {costs[worst]:.1f} ms, {costs[worst] / normal:.1f} x a normal message ({normal:.1f} ms)"
    )


@pytest.mark.parametrize(
    "change, status",
    [
        ({"school": "no-such-school"}, 403),
        ({"school": "st-marys", "origin": "https://evil.example"}, 403),
    ],
)
def test_h1_a_refused_request_is_never_cleaned_or_redacted(monkeypatch, change, status):
    import bot.web.app as app_module

    cleaned = []
    monkeypatch.setattr(app_module, "clean_message", lambda text: cleaned.append(text) or text)
    origin = change.pop("origin", "http://localhost:8000")
    response = post(client(), body(costly_inputs()["random emoji"], **change), origin=origin)
    assert response.status == status and cleaned == []


def test_h1_a_request_over_the_address_limit_is_never_cleaned_or_redacted(monkeypatch):
    import bot.web.app as app_module

    cleaned = []
    monkeypatch.setattr(app_module, "clean_message", lambda text: cleaned.append(text) or text)
    rasa = FakeRasa()
    test_client = client(rasa, rate_address=1)
    assert post(test_client, body("hello")).status == 200
    assert post(test_client, body(costly_inputs()["!? run"])).status == 429
    assert cleaned == ["hello"] and len(rasa.calls) == 1


def test_h1_breaking_runs_keeps_what_redaction_and_the_crisis_layer_need():
    from bot.long_runs import break_long_runs

    text = "call me on 07700 900123 or chloe.smith@example.com, see https://example.com/a/b?c=1 HELP!!!!!!!!!!!!!!!"
    broken = break_long_runs(text)
    assert broken.startswith(text[: text.index("HELP")])  # words, numbers, links untouched
    assert web_door(text).startswith("call me on [phone] or [email], see [url]")
    assert max(len(run) for run in broken.split()) <= 40


@pytest.fixture(scope="module")
def nlu_costs_of_1000_characters(trained_model):
    from rasa.core.agent import Agent

    async def measure():
        agent = Agent.load(str(trained_model))
        for _ in range(3):
            await agent.parse_message("my 14 year old sent a nude to a boy")
        both = await nlu_costs(agent, {**ordinary_messages(), **costly_inputs()}, rounds=5)
        ordinary = {name: both.pop(name) for name in ordinary_messages()}
        return ordinary, both

    return asyncio.run(measure())


def test_h1_in_rasa_no_message_reads_more_than_its_budget_of_encoder_tokens(nlu_costs_of_1000_characters):
    ordinary, crafted = nlu_costs_of_1000_characters
    budget = settings.load().encoder_budget
    over = {name: row["tokens"] for name, row in {**ordinary, **crafted}.items() if row["tokens"] > budget}
    assert over == {}
    assert any(row["tokens"] for row in ordinary.values())  # the encoder does read long messages


def test_h1_in_rasa_no_crafted_1000_character_input_costs_more_than_about_an_ordinary_one(nlu_costs_of_1000_characters):
    ordinary, crafted = nlu_costs_of_1000_characters
    # The yardstick: what a parent's ordinary long message can cost, the 90th percentile of
    # those that consulted the encoder (not the ones the sparse model answered alone).
    costs = [row["ms"] for row in ordinary.values() if row["tokens"]]
    yardstick = statistics.quantiles(costs, n=10)[-1]
    worst = max(crafted, key=lambda name: crafted[name]["ms"])
    ratio = crafted[worst]["ms"] / yardstick
    assert ratio <= RASA_RATIO, (
        f"{worst!r} costs {crafted[worst]['ms']:.0f} ms, {ratio:.2f} x an ordinary one ({yardstick:.0f} ms)"
    )
