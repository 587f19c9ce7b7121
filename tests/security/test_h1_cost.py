"""H1: a 1,000-character message of random emoji or `!?` stalled the service, even refused.

Costs are compared with an ordinary 1,000-character parent message measured in the same
run, in process, so the test holds on a busy or a quiet machine.
"""

from __future__ import annotations

import pytest

from bot.tools.costly_inputs import NORMAL, cost_ms, costly_inputs, web_door
from tests.security.helpers import FakeRasa, body, client, post

# Before the fix the `!?` run cost about 70 to 200 times a normal message at the web door;
# now the worst costs about 3 to 5 times.
WEB_RATIO = 10.0


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
