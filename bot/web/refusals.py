"""What the web app says when it refuses a message: never a bare error for a parent in crisis.

A refusal the widget shows (429 too fast, 413 too long) carries `messages`, like the 503
does: the region's emergency number and helpline (bot/services/offline.py). A message
that is too long is not sent to Rasa, so it is checked here against the crisis layer's
own danger patterns (bot/nlu/crisis.py) and cries for help; if it holds one, the reply
starts with the emergency number: the school's region if known, else every region's.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Dict, List, Optional

from bot.long_runs import break_long_runs
from bot.nlu.crisis import DANGER, cry_for_help
from bot.services.directory import load_services
from bot.services.offline import helpline_lines
from bot.services.ranking import URGENT_TOPIC, recommend

# One region per country, in the order Harbour lists them.
COUNTRIES = {"GB": "the UK", "IE": "Ireland", "US": "the US", "AU": "Australia", "CA": "Canada"}
_DANGER = [re.compile(pattern) for pattern in DANGER]


@lru_cache(maxsize=1)
def every_emergency_line() -> str:
    """'If a child is in danger now, call 999 in the UK, 112 in Ireland, …' from the directory."""
    services, now = load_services(), datetime.now(timezone.utc)
    calls = []
    for region, country in COUNTRIES.items():
        picks = recommend(services, URGENT_TOPIC, region, None, now)
        if picks and picks[0].service.urgent and picks[0].service.contact.phone:
            calls.append(f"{picks[0].service.contact.phone} in {country}")
    listed = ", ".join(calls[:-1]) + f" or {calls[-1]}" if len(calls) > 1 else "".join(calls)
    return f"If a child is in danger now, call {listed}."


def emergency_line(region: Optional[str]) -> str:
    return helpline_lines(region) if region else every_emergency_line()


def sounds_like_crisis(text: str) -> bool:
    """Whether any part of the text matches a danger pattern or is a cry for help."""
    lowered = re.sub(r"\s+", " ", break_long_runs(text).lower().replace("’", "'"))
    return cry_for_help(lowered) or any(p.search(lowered) for p in _DANGER)


def too_long(text: str, limit: int, region: Optional[str]) -> Dict[str, object]:
    """The 413 body for a message over `limit` characters."""
    error = (
        f"Your message is {len(text):,} characters long, and Harbour can read {limit:,} at a time, "
        "so it was not sent. Please send it in shorter parts."
    )
    messages: List[Dict[str, str]] = []
    if sounds_like_crisis(text):
        messages.append({"text": emergency_line(region)})
    messages.append({"text": error})
    return {"error": error, "messages": messages}


def too_fast(region: Optional[str]) -> Dict[str, object]:
    """The 429 body: wait a moment, and who to call meanwhile."""
    error = "You're sending messages very quickly. Please wait a moment and try again."
    return {"error": error, "messages": [{"text": error}, {"text": helpline_lines(region)}]}
