"""Things break; the parent still gets help and the conversation survives."""

import sqlite3
import time

from bot.tools.stack import running_harbour


def text_of(messages):
    return "\n".join(m.get("text", "") for m in messages)


def test_conversation_continues_after_the_servers_restart(trained_model, tmp_path):
    with running_harbour(trained_model, tmp_path) as harbour:
        harbour.say("parent-restart", "we live in Dublin")
    with running_harbour(trained_model, tmp_path) as harbour:  # same SQLite file
        reply = text_of(harbour.say("parent-restart", "what is the age of consent"))
    assert "Ireland" in reply and "17" in reply  # the region given before the restart


def stored_events(db, sender):
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_unwritable_tracker_database_still_answers_logs_clearly_and_recovers(trained_model, tmp_path):
    """Rasa's fail-safe store keeps answering from memory while SQLite is locked."""
    with running_harbour(trained_model, tmp_path) as harbour:
        harbour.say("parent-locked", "hello")
        blocker = sqlite3.connect(harbour.db, timeout=0, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # nobody else can read or write the store now
        try:
            reply = text_of(harbour.say("parent-locked", "thanks", timeout=60))
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert "trouble saving our conversation" in reply
        assert "0808 800 5000" in reply  # the region's helpline, even after a plain "thanks"
        time.sleep(0.5)
        assert "database is locked" in harbour.log.read_text()  # a clear error for the operator

        before = stored_events(harbour.db, "parent-recovered")
        recovered = harbour.say("parent-recovered", "who can help me")
        assert any(m.get("custom") for m in recovered)
        assert stored_events(harbour.db, "parent-recovered") > before  # writing to SQLite again
