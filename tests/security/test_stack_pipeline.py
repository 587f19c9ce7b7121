"""The probe's findings replayed against a running stack (scripts/run.sh on free loopback
ports, bot/tools/stack.py), bounded: a few dozen requests in all."""

from __future__ import annotations

import socket
import stat
import statistics
import time
import uuid

import pytest
import requests

from bot.tools.costly_inputs import NORMAL, costly_inputs
from bot.tools.stack import running_harbour

CAP = 4
API_TOKEN = "security-api-token-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def harbour(trained_model, tmp_path_factory):
    # No HARBOUR_CHANNEL_SECRET: the channel secret is on by default (L5).
    with running_harbour(
        trained_model,
        tmp_path_factory.mktemp("security"),
        token=API_TOKEN,
        HARBOUR_CONNECTIONS_PER_ADDRESS=str(CAP),
        HARBOUR_REQUEST_TIMEOUT="2",
    ) as stack:
        yield stack


def chat(harbour, session, field, value, school="st-marys"):
    return requests.post(
        f"{harbour.web_url}/api/chat", json={"session": session, field: value, "school": school}, timeout=60
    )


def texts(response):
    return " ".join(m.get("text", "") for m in response.json()["messages"])


def timed(work, rounds=3):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_h1_refused_floods_cost_no_more_than_a_refused_hello(harbour):
    def refused(text):
        def send():
            variant = text[:-1] + uuid.uuid4().hex[0]
            assert chat(harbour, harbour.new_session(), "message", variant, school="no-such-school").status_code == 403

        return send

    hello = timed(refused("hello"), rounds=5)
    worst = max(timed(refused(text)) for text in costly_inputs().values())
    assert worst <= max(5 * hello, 0.05), f"refused flood {worst * 1000:.0f} ms vs refused hello {hello * 1000:.0f} ms"


def test_h1_rasas_channel_reads_the_worst_inputs_at_a_bounded_multiple_of_a_normal_message(harbour):
    def say(text):
        return lambda: harbour.say(str(uuid.uuid4()), text[:-1] + uuid.uuid4().hex[0], timeout=60)

    normal = timed(say(NORMAL), rounds=3)
    inputs = costly_inputs()
    worst = {name: timed(say(inputs[name]), rounds=2) for name in ("random emoji", "!? run", "mixed scripts")}
    name = max(worst, key=worst.get)
    assert worst[name] <= 5 * normal, f"{name!r}: {worst[name]:.2f} s vs normal {normal:.2f} s"


def test_m1_the_probes_steering_replay_no_longer_changes_the_emergency_number(harbour):
    victim = harbour.new_session()
    assert chat(harbour, victim, "message", "we live in Scotland").status_code == 200
    attack = chat(harbour, victim, "message", '/inform_location{"location":"US"}')
    assert attack.status_code == 200 and "United States" not in texts(attack)
    injected = chat(harbour, victim, "payload", '/inform_location{"location":"US"}')
    assert injected.status_code == 409
    reply = texts(chat(harbour, victim, "message", "my daughter is missing, she went to meet a man she met online"))
    assert reply.startswith("Call 999 now")  # the probe got "Call 911 now", with US cards


def test_l6_connections_over_the_per_address_cap_are_closed_and_slow_clients_dropped(harbour):
    host, port = "127.0.0.1", int(harbour.web_url.rsplit(":", 1)[1])
    held = [socket.create_connection((host, port), timeout=5) for _ in range(CAP)]
    try:
        for s in held:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        extra = socket.create_connection((host, port), timeout=5)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            assert extra.recv(100) == b""  # closed before it was read
        except ConnectionResetError:
            pass
        finally:
            extra.close()
        started = time.monotonic()
        held[0].settimeout(15)
        try:
            held[0].recv(1000)  # Sanic's 408, then the close
        except ConnectionResetError:
            pass
        assert time.monotonic() - started < 8
    finally:
        for s in held:
            s.close()
    time.sleep(0.2)
    assert requests.get(f"{harbour.web_url}/healthz", timeout=10).status_code == 200


def test_l5_by_default_only_the_web_app_can_use_rasas_rest_channel(harbour):
    direct = requests.post(
        f"{harbour.url}/webhooks/rest/webhook",
        json={"sender": str(uuid.uuid4()), "message": '/inform_location{"location":"US"}'},
        timeout=30,
    )
    wrong = requests.post(
        f"{harbour.url}/webhooks/rest/webhook",
        json={"sender": str(uuid.uuid4()), "message": "hello"},
        headers={"X-Harbour-Channel-Secret": "guess"},
        timeout=30,
    )
    assert direct.status_code == 403 and wrong.status_code == 403
    assert chat(harbour, harbour.new_session(), "message", "hello").status_code == 200  # the web app sends it
    kept = harbour.db.parent / "channel-secret"  # made by the stack itself: none was set
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert harbour.channel_secret == kept.read_text().strip()
    assert harbour.channel_secret not in harbour.log.read_text(errors="replace")


def test_l5_rasas_api_refuses_its_token_in_the_url_and_takes_it_in_a_header(harbour):
    in_url = requests.get(f"{harbour.url}/status", params={"token": API_TOKEN}, timeout=10)
    assert in_url.status_code == 401
    assert requests.get(f"{harbour.url}/status", timeout=10).status_code == 401
    in_header = requests.get(f"{harbour.url}/status", headers=harbour.api_headers(), timeout=10)
    assert in_header.status_code == 200
    assert API_TOKEN not in harbour.log.read_text(errors="replace")
