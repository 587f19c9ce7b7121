"""Schools that embed Harbour (data/schools.yml): schema, loading and look-up."""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Dict, List, Optional

from pydantic import validator

from actions.directory import EMAIL, PHONE, Strict, _check, parse_entries, read_yaml
from bot.nlu.lexicon import REGION_CODES
from bot.paths import DATA

SCHOOLS_FILE = Path(os.environ.get("HARBOUR_SCHOOLS_FILE", DATA / "schools.yml"))
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
logger = logging.getLogger(__name__)


class Lead(Strict):
    name: str
    role: str = "Designated Safeguarding Lead"
    phone: Optional[str] = None
    email: Optional[str] = None
    _phone = validator("phone", allow_reuse=True)(_check(PHONE, "phone number"))
    _email = validator("email", allow_reuse=True)(_check(EMAIL, "email address"))


class Theme(Strict):
    primary: str
    text_on_primary: str
    _colours = validator("primary", "text_on_primary", allow_reuse=True)(_check(COLOUR, "#rrggbb colour"))


class School(Strict):
    id: str
    name: str
    region: str
    dsl: Lead
    allowed_origins: List[str]
    theme: Theme
    demo: bool = False

    @validator("id")
    def slug(cls, value):
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", value):
            raise ValueError(f"id {value!r} must be lower-case letters, digits and hyphens")
        return value

    @validator("region")
    def known_region(cls, value):
        if value not in REGION_CODES:
            raise ValueError(f"unknown region {value!r}")
        return value

    _origins = validator("allowed_origins", each_item=True, allow_reuse=True)(
        _check(ORIGIN, "origin (scheme://host[:port], no path)")
    )


def load_schools(path: Path = SCHOOLS_FILE) -> Dict[str, School]:
    return parse_entries(read_yaml(path).get("schools"), School, path, "schools")


def find_school(schools: Dict[str, School], school_id) -> Optional[School]:
    """The school for an id from message metadata; unknown ids are logged and ignored."""
    if not school_id:
        return None
    school = schools.get(str(school_id)) if isinstance(school_id, str) else None
    if school is None:
        logger.info("Ignoring unknown school id %r from message metadata", str(school_id)[:64])
    return school
