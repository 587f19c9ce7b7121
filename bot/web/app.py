"""The public Sanic app: widget files, the demo page, /api/chat and /healthz.

Rasa is never exposed: /api/chat checks the school and its allowed origins, limits size
and rate, removes personal details, and forwards to Rasa's REST channel on loopback
with the school as metadata. This internet-facing process stores and deletes nothing:
the daily purge runs from `make run`'s supervisor (bot/privacy/retention.py).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Awaitable, Callable, Dict, Optional

import aiohttp
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings as harbour_settings
from bot.services.offline import helpline_lines, unavailable_message
from bot.services.schools import School, load_schools
from bot.settings import Settings
from bot.web.chat import BadRequest, normalise_replies, parse_chat_request
from bot.web.limits import RateLimiter

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
Forward = Callable[[str, str, dict], Awaitable[list]]


class RasaUnavailable(Exception):
    pass


def rasa_forwarder(settings: Settings) -> Forward:
    """Posts to Rasa's REST channel over one reused connection pool."""
    clients: Dict[int, aiohttp.ClientSession] = {}

    async def forward(session: str, message: str, metadata: dict) -> list:
        import asyncio

        loop = id(asyncio.get_running_loop())
        if loop not in clients or clients[loop].closed:
            clients[loop] = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=settings.rasa_timeout),
                connector=aiohttp.TCPConnector(limit=100),
            )
        url = f"{settings.rasa_url}/webhooks/rest/webhook"
        payload = {"sender": session, "message": message, "metadata": metadata}
        try:
            # The header lets a load balancer keep a conversation on one Rasa server (deploy/nginx).
            headers = {"X-Harbour-Conversation": session}
            async with clients[loop].post(url, json=payload, headers=headers) as reply:
                if reply.status != 200:
                    raise RasaUnavailable(f"Rasa answered {reply.status}")
                return await reply.json()
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error

    return forward


@lru_cache(maxsize=1)
def widget_source(themes_json: str) -> str:
    css = (STATIC / "widget.css").read_text(encoding="utf-8")
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    return script.replace('/*HARBOUR_CSS*/""', json.dumps(css)).replace("/*HARBOUR_THEMES*/{}", themes_json)


def create_app(
    name: str = "harbour_web",
    settings: Optional[Settings] = None,
    forward: Optional[Forward] = None,
    schools: Optional[Dict[str, School]] = None,
) -> Sanic:
    settings = settings or harbour_settings.load()
    schools = schools if schools is not None else load_schools()
    forward = forward or rasa_forwarder(settings)
    per_session = RateLimiter(settings.rate_session, 60)
    per_address = RateLimiter(settings.rate_address, 60)
    # Built into widget.js, so the widget needs no request before the first message.
    widget_config = {"": {"offline": helpline_lines(None)}}
    widget_config.update(
        {
            s.id: {
                "name": s.name,
                "primary": s.theme.primary,
                "text": s.theme.text_on_primary,
                "offline": helpline_lines(s.region),
            }
            for s in schools.values()
        }
    )
    themes = json.dumps(widget_config)
    all_origins = {origin for s in schools.values() for origin in s.allowed_origins}

    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"

    def error(status: int, message: str, origin: Optional[str] = None, **extra) -> HTTPResponse:
        body = {"error": message, **extra}
        return response.json(body, status=status, headers=cors(origin))

    def cors(origin: Optional[str]) -> Dict[str, str]:
        if origin and origin in all_origins:
            return {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Vary": "Origin",
            }
        return {"Vary": "Origin"}

    def same_site(request: Request, origin: str) -> bool:
        return origin in (f"http://{request.host}", f"https://{request.host}")

    @app.get("/")
    async def demo(_: Request) -> HTTPResponse:
        return await response.file(STATIC / "demo.html", mime_type="text/html; charset=utf-8")

    @app.get("/widget.js")
    async def widget(_: Request) -> HTTPResponse:
        return response.text(
            widget_source(themes),
            content_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    @app.get("/widget.css")
    async def widget_css(_: Request) -> HTTPResponse:
        return await response.file(STATIC / "widget.css", mime_type="text/css; charset=utf-8")

    @app.get("/healthz")
    async def healthz(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.options("/api/chat")
    async def preflight(request: Request) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin and origin not in all_origins and not same_site(request, origin):
            return error(403, "This site is not allowed to use Harbour.")
        return response.empty(headers=cors(origin))

    @app.post("/api/chat")
    async def chat(request: Request) -> HTTPResponse:
        origin = request.headers.get("origin")
        if "application/json" not in (request.content_type or ""):
            return error(415, "Send the message as JSON (Content-Type: application/json).", origin)
        try:
            payload = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep JSON
            return error(400, "That wasn't valid JSON.", origin)
        try:
            session, message, school_id, language = parse_chat_request(payload)
        except BadRequest as bad:
            return error(bad.status, str(bad), origin)

        school = schools.get(school_id) if school_id else None
        if school_id and school is None:
            return error(403, "This school is not set up for Harbour.", origin)
        if origin:
            allowed = school.allowed_origins if school else []
            if origin not in allowed and not same_site(request, origin):
                return error(403, "This site is not allowed to use Harbour for that school.", origin)

        address = request.remote_addr or request.ip or "unknown"
        wait = per_session.retry_after(session) or per_address.retry_after(address)
        if wait is not None:
            return response.json(
                {"error": "You're sending messages very quickly. Please wait a moment and try again."},
                status=429,
                headers={**cors(origin), "Retry-After": str(int(wait) + 1)},
            )

        metadata = {"school": school.id} if school else {}
        if language:
            metadata["language"] = language
        try:
            replies = await forward(session, message, metadata)
        except RasaUnavailable as problem:
            logger.error("Rasa unreachable: %s", problem)
            return error(
                503,
                "Harbour can't answer right now.",
                origin,
                messages=[{"text": unavailable_message(school.region if school else None)}],
            )
        return response.json({"messages": normalise_replies(replies)}, headers=cors(origin))

    return app
