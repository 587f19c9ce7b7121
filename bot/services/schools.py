"""Schools that embed Harbour (directory/schools.yml): schema, loading and look-up, and the
topics where a school's designated safeguarding lead is the natural next person."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Dict, List, Optional

from pydantic import validator

from bot import settings
from bot.paths import DIRECTORY
from bot.services.entries import EMAIL, PHONE, DirectoryError, Strict, check, known_region, load_entries, slug

SCHOOLS_FILE = DIRECTORY / "schools.yml"
# Answers where the school's designated safeguarding lead is the natural next person.
SCHOOL_TOPICS = {
    "nude_shared_by_child",
    "nude_received_by_child",
    "nude_of_child_circulating",
    "child_shared_someone_elses_nude",
    "what_school_will_do",
    "peer_pressure_to_send",
    "child_harmful_sexual_behaviour",
    "sextortion",
    "abuse_disclosure",
}
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
TOKEN_HASH = re.compile(r"^[0-9a-f]{64}$")
logger = logging.getLogger(__name__)


class Lead(Strict):
    name: str
    role: str = "Designated Safeguarding Lead"
    phone: Optional[str] = None
    email: Optional[str] = None
    _phone = validator("phone", allow_reuse=True)(check(PHONE, "phone number"))
    _email = validator("email", allow_reuse=True)(check(EMAIL, "email address"))


class Theme(Strict):
    primary: str
    text_on_primary: str
    _colours = validator("primary", "text_on_primary", allow_reuse=True)(check(COLOUR, "#rrggbb colour"))


class School(Strict):
    id: str
    name: str
    region: str
    dsl: Lead
    allowed_origins: List[str]
    theme: Theme
    demo: bool = False
    # /insight (bot/insight/access.py): SHA-256 of this school's own insight token, in hex.
    insight_token_sha256: Optional[str] = None

    @validator("id")
    def valid_id(cls, value):
        return slug(value, r"^[a-z0-9][a-z0-9-]*$", "lower-case letters, digits and hyphens")

    _region = validator("region", allow_reuse=True)(known_region)

    _token = validator("insight_token_sha256", allow_reuse=True)(check(TOKEN_HASH, "SHA-256 in lower-case hex"))

    _origins = validator("allowed_origins", each_item=True, allow_reuse=True)(
        check(ORIGIN, "origin (scheme://host[:port], no path)")
    )


def load_schools(path: Optional[Path] = None) -> Dict[str, School]:
    """The schools, checked: HARBOUR_SCHOOLS_FILE (bot/settings.py) or the shipped file."""
    path = Path(path or settings.load().schools_file or SCHOOLS_FILE)
    schools = load_entries(path, "schools", School)
    hashes = [s.insight_token_sha256 for s in schools.values() if s.insight_token_sha256]
    if len(hashes) != len(set(hashes)):
        raise DirectoryError(f"{path}: two schools have the same insight_token_sha256; give each its own token")
    return schools


def find_school(schools: Dict[str, School], school_id) -> Optional[School]:
    """The school for an id from message metadata; unknown ids are logged and ignored."""
    if not school_id:
        return None
    school = schools.get(str(school_id)) if isinstance(school_id, str) else None
    if school is None:
        logger.info("Ignoring unknown school id %r from message metadata", str(school_id)[:64])
    return school
