"""Starts the servers as `make run` does and talks to them like the widget and a parent would."""

import ipaddress
import json
import sqlite3
import time

import psutil
import pytest
import requests

from bot.tools.stack import running_harbour

TOKEN = "smoke-test-token"
HELPLINES = ("0808 800 5000", "0800 1111", "116 123", "999")


@pytest.fixture(scope="module")
def harbour(trained_model, tmp_path_factory):
    with running_harbour(trained_model, tmp_path_factory.mktemp("smoke"), token=TOKEN) as running:
        yield running


def all_text(messages):
    return "\n".join(m.get("text", "") for m in messages)


def test_rest_channel_answers_a_parent_with_steps_and_service_cards(harbour):
    messages = harbour.say("parent-1", "my 14 year old daughter sent a nude to a boy")
    assert "Don't look at, copy, forward or screenshot" in all_text(messages)
    cards = [c for m in messages if m.get("custom") for c in m["custom"]["cards"]]
    assert cards and cards[0]["name"] and (cards[0]["phone"] or cards[0]["web"])


def test_school_metadata_names_the_safeguarding_lead(harbour):
    messages = harbour.say(
        "parent-school", "should I tell the school about the photos", metadata={"school": "st-marys"}
    )
    assert "Designated Safeguarding Lead" in all_text(messages)


def test_region_from_the_message_changes_the_answer(harbour):
    harbour.say("parent-2", "we live in Dublin")
    reply = all_text(harbour.say("parent-2", "what is the age of consent"))
    assert "17" in reply and "Ireland" in reply


def test_privacy_answer_states_the_configured_retention(harbour):
    reply = all_text(harbour.say("parent-privacy", "is this private? do you keep what i type"))
    assert "deleted automatically 30 days after your last message" in reply


def test_personal_details_sent_straight_to_rasa_are_redacted_too(harbour):
    harbour.say("parent-direct", "my number is 07700 900123")
    with sqlite3.connect(harbour.db) as db:
        rows = [
            r[0] for r in db.execute("SELECT data FROM events WHERE sender_id='parent-direct' AND type_name='user'")
        ]
    assert rows and all("07700 900123" not in row and "[phone]" in row for row in rows)


def test_model_parse_refuses_requests_without_the_token(harbour):
    response = requests.post(f"{harbour.url}/model/parse", json={"text": "hello"}, timeout=10)
    assert response.status_code == 401


def test_model_parse_with_the_token_returns_contract_intent_names(harbour):
    response = requests.post(
        f"{harbour.url}/model/parse",
        headers=harbour.api_headers(),
        json={"text": "someone is blackmailing my son with his nudes"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["intent"]["name"] == "sextortion"


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "x" * 10_000,
        "my son sent a nude " * 500,
        "Mi hijo envió una foto desnuda, ¿qué hago?",
        "\u202eRTL override text\u202c",
    ],
    ids=["empty", "spaces", "emoji", "10k-chars", "10k-words", "spanish", "rtl"],
)
def test_bad_input_still_gets_a_helpful_reply(harbour, message):
    reply = all_text(harbour.say("parent-bad-input", message))
    assert reply.strip(), "the parent got no reply"
    # Either a helpline for the parent, or Harbour saying what it can help with.
    assert any(number in reply for number in HELPLINES) or "what I can help with" in reply


def test_conversations_are_stored_in_sqlite(harbour):
    harbour.say("parent-stored", "hello")
    with sqlite3.connect(harbour.db) as db:
        rows = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = 'parent-stored'").fetchone()
    assert rows[0] > 0


def test_personal_details_sent_to_the_widget_api_never_reach_the_tracker_store(harbour):
    from bot.privacy.redact import find
    from tests.unit.privacy.test_redaction import CASES

    secrets = []
    for text, _ in CASES:
        details = [text[start:end] for start, end, _ in find(text)]
        if not details:
            continue
        secrets += details
        response = requests.post(
            f"{harbour.web_url}/api/chat",
            timeout=30,
            json={"session": harbour.new_session(), "message": text, "school": "st-marys"},
        )
        assert response.status_code == 200, response.text
    assert len(secrets) >= 80
    with sqlite3.connect(harbour.db) as db:
        events = [json.loads(row[0]) for row in db.execute("SELECT data FROM events WHERE type_name = 'user'")]
    # What a parent typed is stored as the event's text (and echoed in parse_data.text).
    stored = "\n".join(f"{e.get('text')}\n{(e.get('parse_data') or {}).get('text')}" for e in events)
    leaked = [secret for secret in secrets if secret in stored]
    assert leaked == []


def test_rasa_and_the_web_app_listen_on_loopback_only(harbour):
    root = psutil.Process(harbour.process.pid)
    listening = [
        c.laddr
        for p in [root, *root.children(recursive=True)]
        for c in p.connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(ipaddress.ip_address(a.ip).is_loopback for a in listening), listening


def test_running_bot_makes_no_outbound_connection(harbour):
    harbour.say("parent-net", "what helplines are there")
    processes = [psutil.Process(harbour.process.pid)]
    processes += processes[0].children(recursive=True)
    remote = [c.raddr.ip for p in processes for c in p.connections(kind="inet") if c.raddr]
    outside = [ip for ip in remote if not ipaddress.ip_address(ip).is_loopback]
    assert not outside, f"connections leave the machine: {outside}"


def test_http_api_is_off_without_a_token(trained_model, tmp_path):
    with running_harbour(trained_model, tmp_path, token=None) as harbour:
        response = requests.post(f"{harbour.url}/model/parse", json={"text": "hi"}, timeout=10)
        assert response.status_code == 404
        assert harbour.say("parent-x", "hello")


def test_parent_gets_the_regions_helpline_while_the_action_server_is_down(harbour):
    """Runs last in this module: it kills the action server, then waits for its restart."""
    harbour.say("parent-down", "we live in Dublin")
    root = psutil.Process(harbour.process.pid)
    action_servers = [p for p in root.children(recursive=True) if "rasa_sdk" in " ".join(p.cmdline())]
    assert action_servers
    for process in action_servers:
        process.kill()
    psutil.wait_procs(action_servers, timeout=10)

    text = all_text(harbour.say("parent-down", "what helplines are there"))
    assert "went wrong on my side" in text
    assert "1800 66 66 66" in text  # Childline Ireland: the region's helpline

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        messages = harbour.say("parent-down", "who can help me")
        if any(m.get("custom") for m in messages):
            return  # the action server came back and cards are shown again
        time.sleep(2)
    pytest.fail("the action server was not restarted")


EMERGENCY = ("999", "112", "911", "000")


@pytest.mark.parametrize(
    "message",
    [
        "🔪😭",
        "MY DAUGHTER IS LOCKED IN THE BATHROOM CRYING AND SAYS SHE HAS A BLADE",
        "we have had such a long week with school, exams, the car breaking down and my mum being unwell. " * 9
        + "and now she has just texted me goodbye and says she has taken all her pills",
        "ayuda por favor",
        "pomocy",
        "help me",
    ],
    ids=["emoji", "caps", "danger-last-of-1000-chars", "spanish", "polish", "bare-help"],
)
def test_a_possible_crisis_in_any_form_puts_the_emergency_number_in_the_first_bubble(harbour, message):
    import uuid

    bubbles = [b for b in harbour.say(f"parent-crisis-{uuid.uuid4()}", message) if (b.get("text") or "").strip()]
    assert bubbles, "the parent got no reply"
    assert any(number in bubbles[0]["text"] for number in EMERGENCY), bubbles[0]["text"]
