"""Sessions the server issues and signs, and Clear chat / Quick exit deleting the
conversation on the server (issue 18: M1's session part and L8)."""

import asyncio
import json
import os
import sqlite3
import stat
import uuid

from sanic_testing.testing import SanicTestClient

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.session import Sessions, forgetting, load_secret

_apps = iter(range(10_000))
OWN = "http://127.0.0.1:8000"  # what the chat page in the iframe sends as its Origin


class StoringRasa:
    """Stands in for Rasa: stores each message as an event row, as the tracker store does."""

    def __init__(self, db):
        self.db = db
        with sqlite3.connect(db) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                "intent_name TEXT, timestamp REAL, data TEXT)"
            )

    async def __call__(self, sender, message, metadata):
        with sqlite3.connect(self.db) as connection:
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', 0, ?)",
                (sender, json.dumps({"text": message})),
            )
        return [{"text": "I'm here to help."}]


def stored(db):
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT sender_id FROM events ORDER BY id")]


def app_client(tmp_path, **settings):
    db = tmp_path / "harbour.db"
    rasa = StoringRasa(db)
    app = create_app(f"harbour_session_{next(_apps)}", Settings(db=str(db), **settings), forward=rasa)
    return SanicTestClient(app), db


def new_session(test_client, origin=OWN):
    _, response = test_client.post("/api/session", headers={"origin": origin, "host": "127.0.0.1:8000"})
    return response


def chat(test_client, session, message="my son sent a nude"):
    _, response = test_client.post(
        "/api/chat",
        data=json.dumps({"session": session, "message": message, "school": "st-marys"}),
        headers={"content-type": "application/json", "origin": OWN, "host": "127.0.0.1:8000"},
    )
    return response


def forget(test_client, session, origin=OWN):
    _, response = test_client.request(
        "/api/session",
        http_method="delete",
        content=json.dumps({"session": session}),
        headers={"content-type": "application/json", "origin": origin, "host": "127.0.0.1:8000"},
    )
    return response


def test_the_chat_page_gets_a_session_from_the_server_and_can_chat_with_it(tmp_path):
    test_client, _ = app_client(tmp_path)
    response = new_session(test_client)
    assert response.status == 201 and response.headers["cache-control"] == "no-store"
    reply = chat(test_client, response.json["session"])
    assert reply.status == 200 and reply.json["messages"][0]["text"] == "I'm here to help."


def test_a_made_up_or_altered_session_is_refused_with_a_clear_message(tmp_path):
    test_client, db = app_client(tmp_path)
    real = new_session(test_client).json["session"]
    altered = real[:32] + ("0" if real[32] != "0" else "1") + real[33:]
    other_key = Sessions(b"someone else's key").issue()
    for session in (str(uuid.uuid4()), "0" * 64, altered, other_key, real.upper(), real + "\n"):
        reply = chat(test_client, session)
        assert reply.status == 400, session
        assert reply.json["code"] == "session" and "start a new one" in reply.json["error"]
    assert stored(db) == []  # none of them reached Rasa


def test_another_site_cannot_ask_for_or_delete_sessions(tmp_path):
    test_client, _ = app_client(tmp_path)
    assert new_session(test_client, origin="https://evil.example").status == 403
    session = new_session(test_client).json["session"]
    assert forget(test_client, session, origin="https://evil.example").status == 403


def test_clear_chat_deletes_that_conversation_and_only_that_one(tmp_path):
    test_client, db = app_client(tmp_path)
    mine, theirs = new_session(test_client).json["session"], new_session(test_client).json["session"]
    for session in (mine, theirs, mine):
        assert chat(test_client, session).status == 200
    assert stored(db) == [mine[:32], theirs[:32], mine[:32]]

    response = forget(test_client, mine)
    assert response.status == 200 and response.json == {"deleted": True}
    assert stored(db) == [theirs[:32]]
    # The deleted chat can't be continued (Rasa may still hold it in memory for a while).
    assert chat(test_client, mine).json["code"] == "session"
    assert forget(test_client, "not a session").status == 400


def test_a_reply_saved_after_the_chat_was_deleted_is_deleted_too(tmp_path):
    db = tmp_path / "harbour.db"
    rasa = StoringRasa(db)
    sessions = Sessions(b"key")
    conversation = sessions.sender(sessions.issue())

    async def slow_rasa(sender, message, metadata):
        sessions.revoke(conversation)  # Clear chat pressed while Harbour was answering
        return await rasa(sender, message, metadata)

    asyncio.run(forgetting(slow_rasa, sessions, db)(conversation, "hello", {}))
    assert stored(db) == []


def test_the_session_key_is_made_once_kept_private_and_survives_a_restart(tmp_path):
    settings = Settings(db=str(tmp_path / "var" / "harbour.db"))
    first = load_secret(settings)
    path = tmp_path / "var" / "session-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    token = Sessions(first).issue()
    assert Sessions(load_secret(settings)).sender(token) == token[:32]  # after a restart
    assert load_secret(Settings(db=str(tmp_path / "var" / "harbour.db"), session_secret="set by the deployer")) == (
        b"set by the deployer"
    )


def test_the_session_key_never_reaches_the_log_even_when_it_cannot_be_kept(tmp_path, caplog):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    key = load_secret(Settings(db=str(blocked / "harbour.db")))
    assert len(key) >= 32
    assert "can't keep a session key" in caplog.text.lower()
    assert key.decode() not in caplog.text
