"""Chat sessions the server issues and signs, and "forget this chat" (issue 18, M1 and L8).

The chat page (bot/web/static/chat.js, inside Harbour's own iframe) asks for a session
with `POST /api/session` before its first message and keeps the answer in its own
origin's sessionStorage, where the school's page cannot read it. A session token is 64
hex digits: a random 128-bit conversation id (the sender id Rasa stores) followed by the
first 128 bits of HMAC-SHA256(secret, id). `/api/chat` accepts only tokens that verify,
so nobody can choose or guess a conversation to read or steer.

`DELETE /api/session` (Clear chat and Quick exit) deletes that conversation from the
tracker store (bot/privacy/conversations.py) and refuses the token from then on, so a
conversation Rasa still holds in memory (bot/rasa/tracker_store.py, at most
HARBOUR_TRACKER_CACHE_SECONDS) can't be continued either. The secret comes from
HARBOUR_SESSION_SECRET, or is made once and kept in the database's folder so a restart
keeps sessions; it is never logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sqlite3
import time
from collections import OrderedDict
from pathlib import Path
from typing import Awaitable, Callable, Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.privacy.conversations import delete_conversation
from bot.privacy.database import location
from bot.settings import Settings

logger = logging.getLogger(__name__)
TOKEN = re.compile(r"[0-9a-f]{64}")
ID_HEX = 32
SECRET_FILE = "session-secret"
MAX_REVOKED = 100_000
INVALID = "This chat session has expired or isn't valid. Harbour will start a new one."
Forward = Callable[[str, str, dict], Awaitable[list]]


def load_secret(settings: Settings) -> bytes:
    """HARBOUR_SESSION_SECRET, else the key kept beside the database (made on first use).
    If that folder can't be written, a key for this process only: sessions then end at a
    restart, which is safe."""
    if settings.session_secret:
        return settings.session_secret.encode("utf-8")
    path = Path(settings.db).parent / SECRET_FILE
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first: read theirs
                descriptor = None
            if descriptor is not None:
                with os.fdopen(descriptor, "w") as out:
                    out.write(secrets.token_hex(32))
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            return key.encode("utf-8")
        logger.warning("The session key file %s is too short; using a key for this run only.", path)
    except OSError as problem:
        logger.warning("Can't keep a session key in %s (%s); using a key for this run only.", path, problem.strerror)
    return secrets.token_hex(32).encode("utf-8")


class Sessions:
    """Issues and checks signed session tokens, and remembers the ones deleted recently."""

    def __init__(self, secret: bytes, forget_after: float = 3600.0, clock: Callable[[], float] = time.monotonic):
        self._secret, self._forget_after, self._clock = secret, forget_after, clock
        self._revoked: "OrderedDict[str, float]" = OrderedDict()

    def _mac(self, conversation: str) -> str:
        return hmac.new(self._secret, conversation.encode("ascii"), hashlib.sha256).hexdigest()[:ID_HEX]

    def issue(self) -> str:
        conversation = secrets.token_hex(ID_HEX // 2)
        return conversation + self._mac(conversation)

    def sender(self, token: object) -> Optional[str]:
        """The conversation id of a token that verifies and was not deleted, else None."""
        if not isinstance(token, str) or not TOKEN.fullmatch(token):
            return None
        conversation, mac = token[:ID_HEX], token[ID_HEX:]
        if not hmac.compare_digest(mac, self._mac(conversation)):
            return None
        return None if self.revoked(conversation) else conversation

    def revoke(self, conversation: str) -> None:
        self._expire()
        self._revoked.pop(conversation, None)
        self._revoked[conversation] = self._clock()
        while len(self._revoked) > MAX_REVOKED:
            self._revoked.popitem(last=False)

    def revoked(self, conversation: str) -> bool:
        self._expire()
        return conversation in self._revoked

    def _expire(self) -> None:
        cutoff = self._clock() - self._forget_after
        while self._revoked:
            conversation, when = next(iter(self._revoked.items()))
            if when > cutoff:
                break
            del self._revoked[conversation]


def same_site(request: Request) -> bool:
    """Only Harbour's own pages (or a client that sends no Origin) manage sessions."""
    origin = request.headers.get("origin")
    return not origin or origin in (f"http://{request.host}", f"https://{request.host}")


def register_sessions(app: Sanic, settings: Settings) -> Sessions:
    """Adds POST and DELETE /api/session to the app; returns the Sessions for /api/chat."""
    db = location(settings)  # the SQLite file, or HARBOUR_DB_URL in a cluster
    sessions = Sessions(load_secret(settings), forget_after=max(3600.0, 2 * settings.tracker_cache_seconds))
    no_store = {"Cache-Control": "no-store"}

    async def forget(conversation: str) -> None:
        sessions.revoke(conversation)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, delete_conversation, db, conversation)

    @app.post("/api/session")
    async def new_session(request: Request) -> HTTPResponse:
        if not same_site(request):
            return response.json({"error": "Sessions are only for Harbour's own chat page."}, 403, no_store)
        return response.json({"session": sessions.issue()}, 201, no_store)

    @app.delete("/api/session", ignore_body=False)  # the signed id comes in the JSON body
    async def delete_session(request: Request) -> HTTPResponse:
        if not same_site(request):
            return response.json({"error": "Sessions are only for Harbour's own chat page."}, 403, no_store)
        try:
            token = json.loads(request.body or b"").get("session")
        except (ValueError, UnicodeDecodeError, RecursionError, AttributeError):
            token = None
        conversation = sessions.sender(token)
        if conversation is None:
            return response.json({"error": INVALID, "code": "session"}, 400, no_store)
        try:
            await forget(conversation)
        except sqlite3.Error as problem:
            logger.error("Could not delete a conversation: %s", type(problem).__name__)
            return response.json(
                {"error": "Harbour couldn't delete this chat just now. It will be deleted automatically later."},
                503,
                no_store,
            )
        return response.json({"deleted": True}, 200, no_store)

    return sessions


def forgetting(forward: Forward, sessions: Sessions, db: Path) -> Forward:
    """Wraps the Rasa forwarder: if the parent deleted the chat while Harbour was answering,
    the conversation Rasa has just saved is deleted again."""

    async def wrapped(conversation: str, message: str, metadata: dict) -> list:
        replies = await forward(conversation, message, metadata)
        if sessions.revoked(conversation):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, delete_conversation, db, conversation)
        return replies

    return wrapped
