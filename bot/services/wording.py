"""Turns chosen services into words a parent reads and cards the widget draws."""

from __future__ import annotations

from typing import Dict, List, Optional

from bot.regions import ELSEWHERE
from bot.services.directory import Service
from bot.services.ranking import Pick
from bot.services.schools import School


def text_contact(service: Service, region: Optional[str] = None) -> Optional[str]:
    text = service.contact.text
    if text is None or service.is_unverified("contact.text") or region == ELSEWHERE:
        return None  # text numbers are national: none works from a country Harbour doesn't cover
    return f"text {text.keyword} to {text.number}" if text.keyword else f"text {text.number}"


def card(pick: Pick, region: str) -> Dict:
    service = pick.service
    return {
        "id": service.id,
        "name": service.name,
        "description": service.description,
        "phone": service.phone_for(region),
        "text": text_contact(service, region),
        "web": service.web,
        "hours": pick.availability,
        "open_now": pick.open_now,
    }


def line(pick: Pick, region: str) -> str:
    service = pick.service
    ways = []
    if service.phone_for(region):
        ways.append(f"call {service.phone_for(region)}")
    if text_contact(service, region):
        ways.append(text_contact(service, region))
    if service.web and not ways:
        ways.append(service.web)
    how = " or ".join(ways) if ways else "see their website"
    return f"- {service.name}: {how}. {pick.availability}"


def message(picks: List[Pick], region: str, urgent: bool, report: Optional[List[Pick]] = None) -> str:
    heading = "Numbers to keep close right now:" if urgent else "Who can help:"
    if region == ELSEWHERE:
        heading = "These services are in the UK. Their UK phone lines may not work from where you live, but their websites do:"
    lines = [heading] + [line(p, region) for p in picks]
    others = picks[:-1]
    last = picks[-1] if picks else None
    if (
        others
        and not urgent
        and last.open_now
        and last.service.phone_for(region)
        and not any(p.open_now for p in others)
    ):
        # Only hours we have confirmed may be called closed: unknown is not closed.
        if all(p.open_now is False for p in others):
            lines.append("The others are closed at the moment, so the last one is open day and night.")
        else:
            lines.append("If you can't get through to the others, the last one is open day and night.")
    if report:
        lines += ["To report it to the police:"] + [line(p, region) for p in report]
    if region == ELSEWHERE:
        lines.append(
            "Where you live, call your local emergency number if a child is in danger, and your local police can take a report."
        )
    return "\n".join(lines)


def school_line(school: School) -> str:
    lead = school.dsl
    ways = " or ".join(w for w in (lead.phone, lead.email) if w)
    return (
        f"At {school.name}, the person to talk to is {lead.name}, {lead.role}"
        + (f": {ways}." if ways else ".")
        + " They deal with this confidentially and know the school's process."
    )
