"""What the service directory and the schools file share: strict models, the patterns
for phone numbers, web and email addresses, and loading a list of entries so a broken
one is named with its file, entry id and field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Tuple

from pydantic import BaseModel, Extra, ValidationError

from bot.regions import REGION_CODES
from bot.yamlio import load_yaml

PHONE = re.compile(r"^\+?[0-9](?:[0-9 \-]{0,18}[0-9])?$")
URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#][^\s]*)?$")
EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


class DirectoryError(ValueError):
    """directory/services.yml or directory/schools.yml is malformed; the message names where."""


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


def check(pattern: re.Pattern, what: str):
    """A pydantic validator: the value, if given, must match `pattern`."""

    def checked(value):
        if value is not None and not pattern.match(value):
            raise ValueError(f"{value!r} is not a well-formed {what}")
        return value

    return checked


def known_region(value: str) -> str:
    if value not in REGION_CODES:
        raise ValueError(f"unknown region {value!r}")
    return value


def slug(value: str, pattern: str, what: str) -> str:
    if not re.match(pattern, value):
        raise ValueError(f"id {value!r} must be {what}")
    return value


def _where(error: ValidationError) -> Tuple[str, str]:
    first = error.errors()[0]
    return ".".join(str(p) for p in first["loc"]), first["msg"]


def parse_entries(entries, model, file: Path, key: str) -> Dict[str, BaseModel]:
    if not isinstance(entries, list) or not entries:
        raise DirectoryError(f"{file}: '{key}' must be a non-empty list")
    parsed: Dict[str, BaseModel] = {}
    for number, entry in enumerate(entries, start=1):
        name = entry.get("id", f"#{number}") if isinstance(entry, dict) else f"#{number}"
        try:
            item = model.parse_obj(entry)
        except ValidationError as error:
            field, message = _where(error)
            raise DirectoryError(f"{file}: entry '{name}': field '{field}': {message}") from None
        if item.id in parsed:
            raise DirectoryError(f"{file}: entry '{item.id}': id is used twice")
        parsed[item.id] = item
    return parsed


def load_entries(path: Path, key: str, model) -> Dict[str, BaseModel]:
    """{id: entry} from the list under `key` in a YAML file, each checked against `model`."""
    return parse_entries(load_yaml(path, DirectoryError).get(key), model, path, key)
