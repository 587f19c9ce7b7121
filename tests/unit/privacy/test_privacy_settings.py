"""The privacy answer quotes the real retention period; the daily purge runs on its own."""

import asyncio
import sqlite3
import time

from rasa.core.nlg.interpolator import interpolate_text

from bot.privacy.retention import SECONDS_PER_DAY, purge_daily
from bot.rasa.channel import fill_placeholders as fill_settings
from bot.tools.responses import load_responses


def test_privacy_answer_quotes_the_configured_retention(monkeypatch):
    text = load_responses()["utter_privacy"][0]["text"]
    assert "{{retention_days}} days" in text
    sent = interpolate_text(text, {})  # what Rasa hands the channel: one brace, nothing logged
    assert "{retention_days} days" in sent
    monkeypatch.setenv("RETENTION_DAYS", "14")
    assert "deleted automatically 14 days after" in fill_settings({"text": sent})["text"]


def test_daily_purge_job_deletes_old_conversations(tmp_path):
    db = tmp_path / "harbour.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)")
        connection.execute(
            "INSERT INTO events (sender_id, timestamp, data) VALUES ('old', ?, '{}')",
            (time.time() - 40 * SECONDS_PER_DAY,),
        )
        connection.execute("INSERT INTO events (sender_id, timestamp, data) VALUES ('new', ?, '{}')", (time.time(),))

    async def run_briefly():
        job = asyncio.ensure_future(purge_daily(db, days=30, every=0.05))
        await asyncio.sleep(0.3)
        job.cancel()

    asyncio.run(run_briefly())
    with sqlite3.connect(db) as connection:
        assert [r[0] for r in connection.execute("SELECT DISTINCT sender_id FROM events")] == ["new"]
