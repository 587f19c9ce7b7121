"""Is a service open at a given moment, and when does it next open? In its own time zone.

Times are compared in the service's IANA zone with zoneinfo, so British Summer Time,
Irish time and Australian daylight saving are handled. Spans may run past midnight
("10:00"-"04:00") and "24:00" means the end of the day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from bot.services.directory import DAYS, Hours, Service


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _closing_of_current_span(hours: Hours, local: datetime) -> Optional[datetime]:
    """When the span covering this local moment closes, or None if no span covers it."""
    minute = local.hour * 60 + local.minute
    today, yesterday = DAYS[local.weekday()], DAYS[(local.weekday() - 1) % 7]
    for span in hours.weekly:
        start, end = _minutes(span.open), _minutes(span.close)
        if end > start and today in span.days and start <= minute < end:
            day = local.date()
        elif end <= start and today in span.days and minute >= start:  # runs past midnight
            day = local.date() + timedelta(days=1)
        elif end <= start and yesterday in span.days and minute < end:  # began yesterday
            day = local.date()
        else:
            continue
        return datetime.combine(day, time(0), tzinfo=local.tzinfo) + timedelta(minutes=end)
    return None


def is_open(service: Service, now: datetime) -> Optional[bool]:
    """True or False, or None when the hours are unknown or unconfirmed."""
    if not service.hours_known:
        return None
    if service.hours.always_open:
        return True
    local = now.astimezone(ZoneInfo(service.hours.timezone))
    return _closing_of_current_span(service.hours, local) is not None


def next_opening(service: Service, now: datetime) -> Optional[datetime]:
    """The next moment the service opens (in its own zone), within a week; None if unknown."""
    if not service.hours_known or service.hours.always_open:
        return None
    zone = ZoneInfo(service.hours.timezone)
    local = now.astimezone(zone)
    for offset in range(8):
        day = (local + timedelta(days=offset)).date()
        for span in sorted(service.hours.weekly, key=lambda s: s.open):
            if DAYS[day.weekday()] not in span.days:
                continue
            start = datetime.combine(day, time(*divmod(_minutes(span.open), 60)), tzinfo=zone)
            if start > local:
                return start
    return None


def closes_at(service: Service, now: datetime) -> Optional[datetime]:
    """When the current open span ends, if the service is open on a timetable now."""
    if not service.hours_known or service.hours.always_open:
        return None
    local = now.astimezone(ZoneInfo(service.hours.timezone))
    return _closing_of_current_span(service.hours, local)


def describe(service: Service, now: datetime) -> str:
    """Plain words for a parent: "Open day and night", "Open now until 22:00", ..."""
    if not service.hours_known:
        return (
            service.hours.note
            if service.hours.note and not service.hours.known
            else "Check opening times on their website."
        )
    if service.hours.always_open:
        return "Open day and night." if service.contact.phone else "Online, any time."
    if is_open(service, now):
        end = closes_at(service, now)
        if end is None:
            return "Open now."
        return "Open now until midnight." if f"{end:%H:%M}" == "00:00" else f"Open now until {end:%H:%M}."
    opening = next_opening(service, now)
    if opening is None:
        return "Closed now."
    local = now.astimezone(opening.tzinfo)
    if opening.date() == local.date():
        day = "today"
    elif opening.date() == (local + timedelta(days=1)).date():
        day = "tomorrow"
    else:
        day = f"on {opening:%A}"
    return (
        f"Closed now; opens at {opening:%H:%M} {day} ({service.hours.timezone.split('/')[-1].replace('_', ' ')} time)."
    )
