"""The in-process graph runner (bot/rasa/speedups/graph_runner.py) parses every held-out
message exactly as Rasa's own dask runner does: intent, confidence, ranking and entities."""

import asyncio

from rasa.engine.runner.dask import DaskGraphRunner

from bot.nlu_examples import examples, plain_text
from bot.paths import ROOT
from bot.rasa.speedups import graph_runner

MESSAGES = sorted({plain_text(text) for items in examples(ROOT / "tests" / "nlu").values() for text, _ in items})


def test_in_process_runner_parses_every_held_out_message_as_stock_rasa(trained_model, monkeypatch):
    from rasa.core.agent import Agent

    async def parse_all(agent):
        return [await agent.parse_message(text) for text in MESSAGES]

    agent = Agent.load(str(trained_model))
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.stock_run())
    stock = asyncio.run(parse_all(agent))
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.run_in_process)
    lean = asyncio.run(parse_all(agent))
    assert len(MESSAGES) > 100
    different = [(m, s, l) for m, s, l in zip(MESSAGES, stock, lean) if s != l]
    assert not different, different[:3]
