"""The web app in process (sanic-testing) with a fake Rasa, and the probe's costly inputs."""

from __future__ import annotations

import json

from sanic_testing.testing import SanicTestClient

from bot.settings import Settings
from bot.web.app import RasaUnavailable, create_app
from bot.web.session import Sessions

ALLOWED = "http://localhost:8000"
SESSION_KEY = "security-test-session-key-not-a-secret"
_apps = iter(range(100_000))


class FakeRasa:
    def __init__(self, replies=None, down=False):
        self.replies = replies if replies is not None else [{"text": "Hello"}]
        self.down = down
        self.calls = []

    async def __call__(self, session, message, metadata):
        self.calls.append((session, message, metadata))
        if self.down:
            raise RasaUnavailable("connection refused")
        return self.replies


def client(rasa=None, **settings):
    settings.setdefault("session_secret", SESSION_KEY)
    app = create_app(f"harbour_security_{next(_apps)}", Settings(**settings), forward=rasa or FakeRasa())
    return SanicTestClient(app)


def session_id() -> str:
    """A session as POST /api/session issues it (signed with the test key)."""
    return Sessions(SESSION_KEY.encode()).issue()


def post(test_client, body, origin=ALLOWED, content_type="application/json", headers=None):
    sent = {"content-type": content_type, **(headers or {})}
    if origin:
        sent["origin"] = origin
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    _, response = test_client.post("/api/chat", data=data, headers=sent)
    return response


def body(message="hello", session=None, **extra):
    return {"session": session or session_id(), "message": message, "school": "st-marys", **extra}
