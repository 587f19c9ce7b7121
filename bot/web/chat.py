"""Validating parents' messages and passing Rasa's replies on in a safe, simple shape."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from bot.long_runs import break_long_runs
from bot.privacy.normalise import normalise
from bot.privacy.redact import redact
from bot.web.session import INVALID as INVALID_SESSION

MAX_MESSAGE_CHARS = 1000
# The widget's ids are UUIDs: at least 32 hex digits (dashes allowed), not all alike.
SESSION = re.compile(r"[0-9a-fA-F-]{32,64}")
IMAGE_DATA = re.compile(r"data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s]+", re.I)
# A BCP-47-like language tag ("en", "en-GB", "zh-Hant-TW"); anything else is ignored, so
# nothing personal can be stored through this field.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}")
SAFE_LINK = re.compile(r"^(https?://|tel:|sms:)[^\s\"'<>]+$")
# A button payload as Harbour writes them: /intent, optionally with a {...} entity part.
PAYLOAD = re.compile(r"/[A-Za-z_][A-Za-z0-9_]{0,80}(\{[^\n]{0,200}\})?")
LEADING_SLASHES = re.compile(r"^[\s/]+")
LABEL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BadRequest(ValueError):
    def __init__(self, status: int, message: str, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code  # "session": the chat page asks for a new session and sends again


class TooLong(BadRequest):
    def __init__(self, text: str) -> None:
        super().__init__(413, f"Please keep messages under {MAX_MESSAGE_CHARS} characters.")
        self.text = text


@dataclass(frozen=True)
class ChatRequest:
    session: str
    text: str  # typed text, not yet cleaned, or a button payload exactly as sent
    is_payload: bool
    school: Optional[str]
    language: Optional[str]


def valid_session(session: Any) -> bool:
    if not isinstance(session, str) or not SESSION.fullmatch(session):
        return False
    digits = session.replace("-", "")
    return len(digits) >= 32 and len(set(digits.lower())) >= 4


def parse_chat_request(payload: Any) -> ChatRequest:
    """The fields of a /api/chat body, or BadRequest. Cheap checks only: nothing is cleaned
    or redacted here, so a request refused later costs next to nothing."""
    if not isinstance(payload, dict):
        raise BadRequest(400, 'Send a JSON object like {"session": "...", "message": "..."}.')
    session, message, button = payload.get("session"), payload.get("message"), payload.get("payload")
    if not valid_session(session):
        raise BadRequest(400, INVALID_SESSION, code="session")
    if button is not None:
        if message is not None:
            raise BadRequest(400, 'Send either "message" (typed text) or "payload" (a button), not both.')
        if not isinstance(button, str) or not PAYLOAD.fullmatch(button):
            raise BadRequest(400, '"payload" must be one of the buttons Harbour offered.')
    elif not isinstance(message, str):
        raise BadRequest(400, '"message" must be text.')
    elif len(message) > MAX_MESSAGE_CHARS:
        raise TooLong(message)
    school, language = payload.get("school"), payload.get("language")
    if school is not None and not isinstance(school, str):
        raise BadRequest(400, '"school" must be text.')
    if language is not None and (not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language)):
        language = None
    if button is not None:
        return ChatRequest(session, button, True, school, language)
    return ChatRequest(session, message, False, school, language)


def as_typed_text(message: str) -> str:
    """Typed text is always text: a leading `/` would make Rasa read it as an intent with
    slot values (issue 18, M1), so leading slashes are dropped."""
    return LEADING_SLASHES.sub("", message)


def clean_message(message: str) -> str:
    """One spelling first (bot/privacy/normalise.py: Unicode spaces stay spaces, look-alike
    letters fold), then: Harbour never accepts images, and personal details are removed."""
    message = normalise(message)
    message = IMAGE_DATA.sub("[image removed]", message)
    return redact(break_long_runs(message)).strip()


def _safe_card(card: Any) -> Optional[Dict[str, Any]]:
    if not isinstance(card, dict) or not isinstance(card.get("name"), str):
        return None
    phone = card.get("phone") if isinstance(card.get("phone"), str) else None
    web = card.get("web") if isinstance(card.get("web"), str) and SAFE_LINK.match(card["web"]) else None
    return {
        "id": str(card.get("id", "")),
        "name": card["name"],
        "description": str(card.get("description") or ""),
        "phone": phone,
        "text": card.get("text") if isinstance(card.get("text"), str) else None,
        "web": web,
        "hours": str(card.get("hours") or ""),
        "open_now": card.get("open_now") if card.get("open_now") in (True, False) else None,
    }


def normalise_replies(replies: Any) -> List[Dict[str, Any]]:
    """Rasa's REST replies -> [{"text", "buttons", "cards"}]: only fields the widget knows."""
    messages = []
    for reply in replies if isinstance(replies, list) else []:
        if not isinstance(reply, dict):
            continue
        message: Dict[str, Any] = {"text": reply.get("text") if isinstance(reply.get("text"), str) else ""}
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in reply.get("buttons") or []
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        if buttons:
            message["buttons"] = buttons
        custom = reply.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "service_cards":
            cards = [c for c in map(_safe_card, custom.get("cards") or []) if c]
            if cards:
                message["cards"] = cards
                for name in ("topic", "region"):  # for the widget's anonymous click counts (bot/insight/)
                    if isinstance(custom.get(name), str) and LABEL.match(custom[name]):
                        message[name] = custom[name]
        if message["text"] or buttons or message.get("cards"):
            messages.append(message)
    return messages
