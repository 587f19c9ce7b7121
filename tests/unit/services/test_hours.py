"""Open or closed, at the edges, on weekends, across time zones and clock changes."""

from datetime import datetime, timezone

import pytest

from bot.services.directory import load_services
from bot.services.hours import describe, is_open, next_opening

SERVICES = load_services()
RPH = SERVICES["revenge_porn_helpline"]  # Mon-Fri 10:00-16:00 Europe/London
# Mon-Fri 09:00-17:00 Europe/Dublin. CARI's hours are unconfirmed (content audit 20), so
# the clock is tested on a copy that treats the timetable as confirmed.
CARI = SERVICES["cari_ireland"].copy(update={"unverified": []})
MEIC = SERVICES["meic_wales"]  # daily 08:00-24:00 Europe/London


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "moment,expected",
    [
        ("2026-11-23 09:59", False),  # Monday, a minute before opening (GMT = UTC)
        ("2026-11-23 10:00", True),  # opening minute
        ("2026-11-23 15:59", True),
        ("2026-11-23 16:00", False),  # closing minute is closed
        ("2026-11-21 12:00", False),  # Saturday
        ("2026-11-22 12:00", False),  # Sunday
        ("2026-07-06 09:30", True),  # summer: 09:30 UTC is 10:30 BST
        ("2026-07-06 15:30", False),  # 16:30 BST
    ],
)
def test_weekday_service_in_london(moment, expected):
    assert is_open(RPH, utc(moment)) is expected


def test_british_summer_time_starts_on_the_last_sunday_of_march():
    # Monday 30 March 2026 is the first weekday of BST: 09:00 UTC is already 10:00 local.
    assert is_open(RPH, utc("2026-03-30 09:00")) is True
    assert is_open(RPH, utc("2026-03-27 09:00")) is False  # Friday before, still GMT


def test_dublin_and_london_share_clock_changes():
    assert is_open(CARI, utc("2026-07-06 07:59")) is False  # 08:59 IST
    assert is_open(CARI, utc("2026-07-06 08:00")) is True  # 09:00 IST


def test_a_span_ending_at_midnight():
    assert is_open(MEIC, utc("2026-11-23 23:59")) is True
    assert is_open(MEIC, utc("2026-11-24 00:00")) is False
    assert describe(MEIC, utc("2026-11-23 20:00")) == "Open now until midnight."


def test_next_opening_after_friday_close_is_monday():
    opening = next_opening(RPH, utc("2026-11-20 17:00"))  # Friday evening
    assert (opening.strftime("%A %H:%M")) == "Monday 10:00"
    assert describe(RPH, utc("2026-11-20 17:00")) == "Closed now; opens at 10:00 on Monday (London time)."
    assert describe(RPH, utc("2026-11-23 08:00")) == "Closed now; opens at 10:00 today (London time)."


def test_unconfirmed_hours_never_claim_open_or_closed():
    nspcc = SERVICES["nspcc_helpline"]
    assert "hours" in nspcc.unverified
    assert is_open(nspcc, utc("2026-11-23 12:00")) is None
    assert "Check opening times" in describe(nspcc, utc("2026-11-23 12:00"))


def test_always_open_phone_and_web_services_are_described_differently():
    assert describe(SERVICES["childline"], utc("2026-11-23 03:00")) == "Open day and night."
    assert describe(SERVICES["internet_watch_foundation"], utc("2026-11-23 03:00")) == "Online, any time."
