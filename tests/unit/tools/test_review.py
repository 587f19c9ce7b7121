"""`make review` exports unsure messages, redacted, in a form a maintainer can label."""

import json
import sqlite3
import time

import pytest
import yaml

from bot.privacy.redact import redact
from bot.tools.review import render, unsure_messages

NOW = time.time()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("call me on 07700 900123 tonight", "call me on [phone] tonight"),
        ("my number is +44 20 7946 0018", "my number is [phone]"),
        ("email jo.bloggs@example.com please", "email [email] please"),
        ("it's on https://example.com/u/jo123", "it's on [url]"),
        ("his insta is @lad_2009", "his insta is [handle]"),
        ("we live at SW1A 1AA", "we live at [postcode]"),
        ("my son is 14 and in year 9", "my son is 14 and in year 9"),
    ],
)
def test_redaction(text, expected):
    assert redact(text) == expected


def _event(text, intent, confidence, ranking, age_days=1):
    return (
        "parent",
        "user",
        NOW - age_days * 86400,
        json.dumps(
            {
                "event": "user",
                "text": text,
                "parse_data": {
                    "intent": {"name": intent, "confidence": confidence},
                    "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
                },
            }
        ),
    )


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "harbour.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, data TEXT)"
        )
        db.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
            [
                _event(
                    "my boy's mate sent him something odd, ring me on 07700 900123",
                    "nlu_fallback",
                    0.3,
                    [("nlu_fallback", 0.3), ("nude_received_by_child", 0.25)],
                ),
                _event("what do i even do", "find_support", 0.35, [("find_support", 0.35)]),
                _event("my daughter sent a nude", "nude_shared_by_child", 0.97, [("nude_shared_by_child", 0.97)]),
                _event("/find_support", "find_support", 1.0, [("find_support", 1.0)]),
                _event("old and unsure", "nlu_fallback", 0.2, [("greet", 0.2)], age_days=30),
            ],
        )
    return path


def test_only_recent_unsure_typed_messages_are_exported_redacted(store):
    grouped = unsure_messages(store, days=7, threshold=0.5, now=NOW)
    assert grouped == {
        "nude_received_by_child": ["my boy's mate sent him something odd, ring me on [phone]"],
        "find_support": ["what do i even do"],
    }


def test_export_is_valid_nlu_yaml_that_validation_will_refuse_until_labelled(store):
    document = yaml.safe_load(render(unsure_messages(store, 7, 0.5, now=NOW), 7))
    assert document["version"] == "3.1"
    assert {b["intent"] for b in document["nlu"]} == {"label_me__nude_received_by_child", "label_me__find_support"}


def test_missing_database_exports_nothing(tmp_path):
    assert unsure_messages(tmp_path / "none.db", 7, 0.5) == {}
    assert yaml.safe_load(render({}, 7))["nlu"] == []
