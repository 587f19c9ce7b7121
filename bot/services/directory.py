"""The support-service directory (directory/services.yml): schema, loading and look-ups.

Loaded and checked when the action server starts: a broken entry stops start-up with
the file, the entry id and the field named, so a bad number never reaches a parent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import root_validator, validator

from bot import settings
from bot.paths import DIRECTORY
from bot.regions import ELSEWHERE
from bot.services.entries import EMAIL, PHONE, URL, Strict, check, known_region, load_entries, slug
from bot.topics import all_topics

SERVICES_FILE = DIRECTORY / "services.yml"
AUDIENCES = ("parents", "children", "young_people", "adults", "professionals")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")
VERIFIED_ON = re.compile(r"^(unknown|\d{4}|\d{4}-\d{2}-\d{2})$")
# Fields that may be listed as unverified; anything else is a typo the schema refuses.
UNVERIFIABLE = {
    "hours",
    "hours_text_and_chat",
    "cost",
    "regions",
    "how_families_get_support",
    "contact.phone",
    "contact.phone_in_ireland",
    "contact.text",
    "contact.web",
    "contact.web_report_form",
    "contact.email",
}


class Span(Strict):
    days: List[str]
    open: str
    close: str

    @validator("days", each_item=True)
    def known_day(cls, value):
        if value not in DAYS:
            raise ValueError(f"unknown day {value!r}")
        return value

    _clock = validator("open", "close", allow_reuse=True)(check(CLOCK, "HH:MM time"))


class Hours(Strict):
    timezone: str
    always_open: bool = False
    weekly: List[Span] = []
    note: Optional[str] = None

    @validator("timezone")
    def known_zone(cls, value):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @root_validator(skip_on_failure=True)
    def not_both(cls, values):
        if values.get("always_open") and values.get("weekly"):
            raise ValueError("give always_open or weekly spans, not both")
        return values

    @property
    def known(self) -> bool:
        return self.always_open or bool(self.weekly)


class Text(Strict):
    number: str
    keyword: Optional[str] = None
    _number = validator("number", allow_reuse=True)(check(PHONE, "text number"))


class Contact(Strict):
    phone: Optional[str] = None
    phone_words: Optional[str] = None
    phone_alt: Optional[str] = None
    emergency_phone: Optional[str] = None
    phone_from_ireland: Optional[str] = None
    phone_from_abroad: Optional[str] = None
    textphone: Optional[str] = None
    text: Optional[Text] = None
    web: Optional[str] = None
    more_web: Dict[str, str] = {}
    email: Optional[str] = None
    email_note: Optional[str] = None
    chat: Optional[str] = None
    accessibility_note: Optional[str] = None

    _phones = validator(
        "phone",
        "phone_alt",
        "emergency_phone",
        "phone_from_ireland",
        "phone_from_abroad",
        "textphone",
        allow_reuse=True,
    )(check(PHONE, "phone number"))
    _web = validator("web", allow_reuse=True)(check(URL, "web address"))
    _email = validator("email", allow_reuse=True)(check(EMAIL, "email address"))

    @validator("more_web")
    def more_web_urls(cls, value):
        for key, url in value.items():
            check(URL, f"web address for {key}")(url)
        return value


class AgeLimits(Strict):
    min_age: Optional[int] = None
    max_age: Optional[int] = None
    about: str = "contact"  # whose age: contact, person_in_image, age_when_taken
    note: Optional[str] = None

    @validator("about")
    def known_subject(cls, value):
        if value not in ("contact", "person_in_image", "age_when_taken"):
            raise ValueError(f"unknown age subject {value!r}")
        return value


class Service(Strict):
    id: str
    name: str
    regions: List[str]
    audience: List[str]
    age_limits: Optional[AgeLimits] = None
    topics: List[str]
    best_for: List[str] = []
    description: str
    contact: Contact
    hours: Hours
    urgent: bool = False
    source_urls: List[str]
    verified_on: str
    unverified: List[str] = []
    notes: Optional[str] = None

    @validator("id")
    def snake_case(cls, value):
        return slug(value, r"^[a-z][a-z0-9_]*$", "snake_case")

    _regions = validator("regions", each_item=True, allow_reuse=True)(known_region)

    @validator("audience", each_item=True)
    def known_audience(cls, value):
        if value not in AUDIENCES:
            raise ValueError(f"unknown audience {value!r}")
        return value

    @validator("topics", each_item=True)
    def known_topic(cls, value):
        if value not in all_topics():
            raise ValueError(f"topic {value!r} is not in docs/topics.md")
        return value

    @validator("best_for")
    def best_for_listed_topics(cls, value, values):
        missing = [t for t in value if t not in values.get("topics", [])]
        if missing:
            raise ValueError(f"best_for names topics not in this service's topics: {missing}")
        return value

    @validator("source_urls", each_item=True)
    def source_url(cls, value):
        return check(URL, "source URL")(value)

    @validator("unverified", each_item=True)
    def known_field(cls, value):
        if value not in UNVERIFIABLE:
            raise ValueError(f"unknown unverified field {value!r}")
        return value

    @validator("verified_on")
    def verified_date(cls, value):
        return check(VERIFIED_ON, "verified_on (YYYY, YYYY-MM-DD or unknown)")(value)

    def is_unverified(self, field: str) -> bool:
        """True when `field` (e.g. "contact.phone", "hours") could not be confirmed."""
        return field in self.unverified

    @property
    def phone(self) -> Optional[str]:
        """The number Harbour may offer to call: never an unconfirmed one."""
        return None if self.is_unverified("contact.phone") else self.contact.phone

    def phone_for(self, region: str) -> Optional[str]:
        """The number to offer a parent in `region`: the Irish number from Ireland
        (`phone_from_ireland`), the international one (`phone_from_abroad`) from a country
        Harbour has no answers for, and never a number unconfirmed for that place."""
        if self.phone is None:
            return None
        if region == "IE":
            if self.is_unverified("contact.phone_in_ireland"):
                return None
            if "IE" not in self.regions and not self.contact.phone_from_ireland:
                return None
            return self.contact.phone_from_ireland or self.phone
        if region == ELSEWHERE:
            return self.contact.phone_from_abroad
        return self.phone

    @property
    def web(self) -> Optional[str]:
        return None if self.is_unverified("contact.web") else self.contact.web

    @property
    def hours_known(self) -> bool:
        return self.hours.known and not self.is_unverified("hours")


def load_services(path: Optional[Path] = None) -> Dict[str, Service]:
    """The directory, checked: HARBOUR_SERVICES_FILE (bot/settings.py) or the shipped file."""
    path = Path(path or settings.load().services_file or SERVICES_FILE)
    return load_entries(path, "services", Service)
