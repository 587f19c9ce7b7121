"""A helpline message for when Rasa cannot be reached, built without Rasa.

Uses the same directory and ranking as the action server, so the numbers always come
from directory/services.yml: the region's emergency number and its best 24/7 line. The
web app builds these into widget.js and sends them when Rasa is unreachable.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Optional

from bot.regions import DEFAULT_REGION
from bot.services.directory import load_services
from bot.services.ranking import recommend


@lru_cache(maxsize=16)
def helpline_lines(region: Optional[str]) -> str:
    """ "If a child is in danger now, call 999. To talk to someone, day or night: ..." """
    services = load_services()
    now = datetime.now(timezone.utc)
    urgent = recommend(services, "immediate_danger", region, None, now)
    emergency = urgent[0].service.contact.phone if urgent and urgent[0].service.urgent else "999"
    helpers = [p for p in urgent[1:] if p.service.phone_for(region or DEFAULT_REGION)]
    talk = " and ".join(f"{p.service.name} on {p.service.phone_for(region or DEFAULT_REGION)}" for p in helpers[:2])
    text = f"If a child is in danger now, call {emergency}."
    if talk:
        text += f" To talk to someone, day or night: {talk}."
    return text


def unavailable_message(region: Optional[str]) -> str:
    return "Sorry, Harbour can't answer right now. " + helpline_lines(region)
