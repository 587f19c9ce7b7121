"""Chooses the one to three services that fit a parent's situation best, right now.

Pure functions of (directory, topic, region, age, moment): the same inputs and clock
always give the same answer, so it can be tested and reasoned about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterable, List, Optional

from bot.regions import DEFAULT_REGION, UK, UK_NATIONS
from bot.services.directory import Service
from bot.services.hours import describe, is_open

URGENT_TOPIC = "immediate_danger"
GENERAL_TOPIC = "find_support"
PARENT_AUDIENCES = {"parents", "adults"}
CHILD_AUDIENCES = {"children", "young_people"}


@dataclass(frozen=True)
class Pick:
    service: Service
    open_now: Optional[bool]
    availability: str


def region_fit(service: Service, region: str) -> int:
    """3 for the region itself (a UK nation, or another country), 2 for UK-wide, 0 for none."""
    if region in service.regions:
        return 2 if region == UK else 3
    if region in UK_NATIONS and UK in service.regions:
        return 2
    return 0


def age_fits(service: Service, age: Optional[float]) -> bool:
    limits = service.age_limits
    if limits is None:
        return True
    if age is None:
        # Harbour is about children: services only for adults' own images need a known adult.
        return not (limits.min_age is not None and limits.min_age >= 18)
    if limits.about == "age_when_taken":
        return True  # an adult's image may still date from childhood
    if limits.min_age is not None and age < limits.min_age:
        return False
    if limits.max_age is not None and age > limits.max_age:
        return False
    return True


def _score(service: Service, topic: str, region: str, open_now: Optional[bool]) -> float:
    """Topic fit counts most, then region (nation before UK-wide), who it is for, being
    open now, and having a confirmed number to tap."""
    topic_fit = 3 if topic in service.topics else (1 if GENERAL_TOPIC in service.topics else 0)
    if topic in service.best_for:
        topic_fit += 1
    audience = 3 if PARENT_AUDIENCES & set(service.audience) else 1
    if topic == "parent_support" and not PARENT_AUDIENCES & set(service.audience):
        audience = 0
    availability = {True: 2.0, None: 0.5, False: 0.0}[open_now]
    contactable = 1.0 if service.phone_for(region) else 0.0
    return topic_fit * 4 + region_fit(service, region) * 1.5 + audience + availability + contactable


def _pick(service: Service, now: datetime) -> Pick:
    return Pick(service, is_open(service, now), describe(service, now))


def _ranked(services: Iterable[Service], topic: str, region: str, open_now: Dict[str, Optional[bool]]) -> List[Service]:
    return sorted(services, key=lambda s: (-_score(s, topic, region, open_now[s.id]), s.id))


def recommend(
    directory: Dict[str, Service],
    topic: str,
    region: Optional[str],
    age: Optional[float],
    now: datetime,
    limit: int = 3,
) -> List[Pick]:
    region = region or DEFAULT_REGION
    eligible = [s for s in directory.values() if region_fit(s, region) and age_fits(s, age)]
    open_now = {s.id: is_open(s, now) for s in eligible}
    if topic == URGENT_TOPIC:
        return _urgent(eligible, region, now, open_now)
    helpers = [s for s in eligible if not s.urgent]
    fitting = [s for s in _ranked(helpers, topic, region, open_now) if topic in s.topics]
    fitting_ids = {s.id for s in fitting}  # compare ids: model equality compares every field
    general = [s for s in _ranked(helpers, GENERAL_TOPIC, region, open_now) if s.id not in fitting_ids]
    chosen = (fitting + general)[:limit]
    if chosen and not any(open_now[s.id] for s in chosen):
        # None of the best is confirmed open (closed, or hours unknown): add one line that
        # is open day and night, a line for the parent before a children's line.
        always = sorted(
            (
                s
                for s in _ranked(helpers, topic, region, open_now)
                if s.hours_known and s.hours.always_open and s.phone_for(region) and s.id not in {c.id for c in chosen}
            ),
            key=lambda s: not PARENT_AUDIENCES & set(s.audience),
        )
        if always:
            chosen = chosen[: limit - 1] + [always[0]]
    return [_pick(s, now) for s in chosen]


def _urgent(eligible: List[Service], region: str, now: datetime, open_now: Dict[str, Optional[bool]]) -> List[Pick]:
    """The emergency number first, then one 24/7 line for the child and one for the parent."""
    emergency = _ranked([s for s in eligible if s.urgent], URGENT_TOPIC, region, open_now)[:1]
    always = [
        s
        for s in _ranked(eligible, URGENT_TOPIC, region, open_now)
        if not s.urgent and s.hours_known and s.hours.always_open and s.phone_for(region)
    ]
    # A line children themselves use (Childline, Kids Helpline ...) before other youth lines.
    for_child = sorted(
        (s for s in always if CHILD_AUDIENCES & set(s.audience)),
        key=lambda s: "children" not in s.audience,
    )[:1]
    # A listening line for the parent, not the police: 999 is already first.
    for_parent = [
        s
        for s in always
        if PARENT_AUDIENCES & set(s.audience)
        and s.id not in {c.id for c in for_child}
        and {"parent_support", "talk_to_person"} & set(s.topics)
    ][:1]
    return [_pick(s, now) for s in emergency + for_child + for_parent]
