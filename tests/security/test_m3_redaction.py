"""M3: 29 of 81 personal-detail messages were stored verbatim. The probe's table
(tests/security/redaction_leaks.yml) replayed through both doors' cleaning; and the
`language` field can no longer carry a detail."""

from pathlib import Path

import pytest

from bot.privacy.normalise import normalise
from bot.privacy.redact import redact
from bot.web.chat import clean_message, parse_chat_request
from bot.yamlio import load_yaml

LEAKS = load_yaml(Path(__file__).with_name("redaction_leaks.yml"))["leaks"]


def test_the_table_is_the_probes_whole_table():
    assert len(LEAKS) == 30
    for row in LEAKS:
        assert set(row) == {"kind", "messages", "details"}, row
        assert row["messages"] and row["details"]
        assert all(detail in "\n".join(row["messages"]) or "\u00a0" in row["messages"][0] for detail in row["details"])


@pytest.mark.parametrize("row", LEAKS, ids=[f"{i}-{r['kind']}" for i, r in enumerate(LEAKS)])
def test_m3_no_detail_survives_the_web_door(row):
    stored = [clean_message(message) for message in row["messages"]]
    leaked = [detail for detail in row["details"] if any(detail in text for text in stored)]
    assert leaked == [], stored


@pytest.mark.parametrize("row", LEAKS, ids=[f"{i}-{r['kind']}" for i, r in enumerate(LEAKS)])
def test_m3_no_detail_survives_the_rasa_door(row):
    # bot/rasa/channel.py stores redact(normalise(message)) for messages sent straight to Rasa
    stored = [redact(normalise(message)) for message in row["messages"]]
    assert [d for d in row["details"] if any(d in text for text in stored)] == [], stored


@pytest.mark.parametrize("row", LEAKS[:3] + LEAKS[13:20], ids=lambda r: r["kind"] if isinstance(r, dict) else str(r))
def test_m3_the_rest_of_the_message_is_kept(row):
    # what the parent said around the detail still reaches the bot
    text = clean_message(row["messages"][0])
    assert "[" in text and len(text.split()) >= 2, text


SESSION = "c0ffee12" * 4  # a well-formed id; parse_chat_request checks its shape only


@pytest.mark.parametrize("language", ["07700 900123 a@b.co", "en GB", "chloe smith", "e", "en-" + "x" * 9, "en\n"])
def test_m3_language_that_is_not_a_language_tag_is_dropped(language):
    assert parse_chat_request({"session": SESSION, "message": "hello", "language": language}).language is None


@pytest.mark.parametrize("language", ["en", "en-GB", "ga-IE", "zh-Hant-TW", "pl"])
def test_m3_real_language_tags_are_kept(language):
    assert parse_chat_request({"session": SESSION, "message": "hello", "language": language}).language == language
