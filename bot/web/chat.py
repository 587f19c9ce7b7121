"""Validating parents' messages and passing Rasa's replies on in a safe, simple shape."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from bot.privacy.redact import redact

MAX_MESSAGE_CHARS = 1000
SESSION = re.compile(r"^[0-9a-fA-F-]{16,64}$")
IMAGE_DATA = re.compile(r"data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s]+", re.I)
SAFE_LINK = re.compile(r"^(https?://|tel:|sms:)[^\s\"'<>]+$")
LABEL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BadRequest(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse_chat_request(payload: Any) -> Tuple[str, str, Optional[str], Optional[str]]:
    """(session, message, school, language) from a /api/chat body, or BadRequest."""
    if not isinstance(payload, dict):
        raise BadRequest(400, 'Send a JSON object like {"session": "...", "message": "..."}.')
    session, message = payload.get("session"), payload.get("message")
    if not isinstance(session, str) or not SESSION.match(session):
        raise BadRequest(400, '"session" must be the random id the widget creates.')
    if not isinstance(message, str):
        raise BadRequest(400, '"message" must be text.')
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(413, f"Please keep messages under {MAX_MESSAGE_CHARS} characters.")
    school, language = payload.get("school"), payload.get("language")
    if school is not None and not isinstance(school, str):
        raise BadRequest(400, '"school" must be text.')
    if language is not None and (not isinstance(language, str) or len(language) > 35):
        language = None
    return session, clean_message(message), school, language


def clean_message(message: str) -> str:
    """Harbour never accepts images, and personal details are removed before storage."""
    message = "".join(ch for ch in message if ch in "\n\t" or ch.isprintable())
    message = IMAGE_DATA.sub("[image removed]", message)
    return redact(message).strip()


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
