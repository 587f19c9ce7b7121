"""The public Sanic app: widget files, the demo page, the chat page, /api/chat, /api/session and /healthz.

Rasa is never exposed: /api/chat checks the school and its allowed origins, limits size
and rate, removes personal details, and forwards to Rasa's REST channel on loopback
with the school as metadata. This internet-facing process stores nothing, and deletes a
conversation only when the parent asks (Clear chat, Quick exit: bot/web/session.py); the
daily purge runs from `make run`'s supervisor (bot/privacy/retention.py). The chat itself
runs in an iframe of Harbour's own page (bot/web/pages.py). It also records the widget's
anonymous daily counts (bot/insight/).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Awaitable, Callable, Dict, Optional
from urllib.parse import urlsplit

import aiohttp
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings as harbour_settings
from bot.insight.routes import add_insight_routes
from bot.privacy.database import location
from bot.rasa.channel_secret import channel_secret, secret_headers
from bot.services.offline import unavailable_message
from bot.services.schools import School, load_schools
from bot.settings import Settings
from bot.web.chat import (
    MAX_MESSAGE_CHARS,
    BadRequest,
    TooLong,
    as_typed_text,
    clean_message,
    normalise_replies,
    parse_chat_request,
)
from bot.web.client_address import client_address, parse_networks
from bot.web.limits import RateLimits
from bot.web.offered import OfferedButtons
from bot.web.pages import register_pages
from bot.web.refusals import too_fast, too_long
from bot.web.session import INVALID as INVALID_SESSION
from bot.web.session import forgetting, register_sessions

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
Forward = Callable[[str, str, dict], Awaitable[list]]


class RasaUnavailable(Exception):
    pass


def rasa_forwarder(settings: Settings) -> Forward:
    """Posts to Rasa's REST channel over one reused connection pool, with the secret the
    channel requires (bot/rasa/channel_secret.py: read once, at start)."""
    clients: Dict[int, aiohttp.ClientSession] = {}
    secret = secret_headers(channel_secret(settings))

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
            # The conversation header lets a load balancer keep a conversation on one Rasa
            # server (deploy/nginx); the channel secret proves the request came from here.
            headers = {"X-Harbour-Conversation": session, **secret}
            async with clients[loop].post(url, json=payload, headers=headers) as reply:
                if reply.status != 200:
                    raise RasaUnavailable(f"Rasa answered {reply.status}")
                return await reply.json()
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error

    return forward


class WidgetThemes:
    """The launcher colours widget.js carries: only those of the schools that list the page
    asking for the script (its Referer, or Origin) among their allowed origins. A stranger
    fetching /widget.js gets none, so the script no longer lists every school using Harbour
    (issue 18, L3); a school's site gets its own; Harbour's default colours otherwise."""

    def __init__(self, schools: Dict[str, School]) -> None:
        self._by_origin: Dict[str, Dict[str, Dict[str, str]]] = {}
        for school in schools.values():
            for origin in school.allowed_origins:
                theme = {"primary": school.theme.primary, "text": school.theme.text_on_primary}
                self._by_origin.setdefault(origin.rstrip("/").lower(), {})[school.id] = theme

    def for_page(self, page: Optional[str]) -> str:
        """JSON {school id: colours} for the page at `page` (a URL or an origin), or "{}"."""
        try:
            parts = urlsplit(page or "")
        except ValueError:
            return "{}"
        if not parts.scheme or not parts.netloc:
            return "{}"
        return json.dumps(self._by_origin.get(f"{parts.scheme}://{parts.netloc}".lower(), {}), sort_keys=True)


@lru_cache(maxsize=256)
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
    limits = RateLimits(settings.rate_session, settings.rate_address, settings.rate_storage)
    trusted_proxies = parse_networks(settings.trusted_proxies)
    offered = OfferedButtons(storage_uri=settings.rate_storage)  # shared through Redis in a cluster
    # Built into widget.js: the launcher's colours, for the schools whose site asks for the
    # script and no others (issue 18, L3). Everything else is in the chat page.
    widget_themes = WidgetThemes(schools)
    all_origins = {origin for s in schools.values() for origin in s.allowed_origins}

    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # Slow clients (issue 18, L6): a request must arrive within request_timeout, an idle
    # connection closes after keep_alive_timeout, and a reply never waits much past Rasa's
    # own timeout. bot/web/connections.py caps open connections per address.
    app.config.REQUEST_TIMEOUT = settings.request_timeout
    app.config.KEEP_ALIVE_TIMEOUT = settings.keep_alive_timeout
    app.config.RESPONSE_TIMEOUT = settings.rasa_timeout + 5
    app.config.HARBOUR_CONNECTIONS_PER_ADDRESS = settings.connections_per_address
    app.ctx.trusted_proxies = trusted_proxies

    @app.on_response
    async def hardening_headers(request: Request, reply: HTTPResponse) -> None:
        # Every reply (issue 18, L7); the chat page's CSP is set where the page is served.
        reply.headers.setdefault("X-Content-Type-Options", "nosniff")
        reply.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path.startswith("/api/"):
            reply.headers["Cache-Control"] = "no-store"

    # The chat page in its iframe, signed sessions and "forget this chat" (issue 18).
    register_pages(app, schools)
    sessions = register_sessions(app, settings)
    forward = forgetting(forward, sessions, location(settings))

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
    async def widget(request: Request) -> HTTPResponse:
        page = request.headers.get("origin") or request.headers.get("referer")
        return response.text(
            widget_source(widget_themes.for_page(page)),
            content_type="application/javascript; charset=utf-8",
            # Each school's site gets its own copy; no copy lists the schools.
            headers={"Cache-Control": "public, max-age=300", "Vary": "Origin, Referer"},
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
        # The cheap checks come first, so a refused request costs next to nothing (issue
        # 18, H1): content type, JSON, the address's rate, the fields and length, school
        # and origin, the session's rate. Only then is the message cleaned and redacted.
        origin = request.headers.get("origin")
        media_type = (request.content_type or "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            return error(415, "Send the message as JSON (Content-Type: application/json).", origin)
        try:
            payload = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep JSON
            return error(400, "That wasn't valid JSON.", origin)
        named = payload.get("school") if isinstance(payload, dict) else None
        region = schools[named].region if isinstance(named, str) and named in schools else None

        address = client_address(request.ip, request.headers.get("x-forwarded-for"), trusted_proxies)
        wait = limits.retry_after("address", address)
        if wait is not None:
            return slow_down(wait, region, origin)
        try:
            chat_request = parse_chat_request(payload)
        except TooLong as long:
            return response.json(too_long(long.text, MAX_MESSAGE_CHARS, region), status=413, headers=cors(origin))
        except BadRequest as bad:
            return error(bad.status, str(bad), origin, **({"code": bad.code} if bad.code else {}))
        session, school_id = chat_request.session, chat_request.school
        session = sessions.sender(session)  # the conversation id of a signed token, or None
        if session is None:
            return error(400, INVALID_SESSION, origin, code="session")

        school = schools.get(school_id) if school_id else None
        if school_id and school is None:
            return error(403, "This school is not set up for Harbour.", origin)
        if origin:
            allowed = school.allowed_origins if school else []
            if origin not in allowed and not same_site(request, origin):
                return error(403, "This site is not allowed to use Harbour for that school.", origin)
        if chat_request.is_payload and not offered.accepts(session, chat_request.text):
            return error(409, "That button has expired. Please type your answer instead.", origin)

        wait = limits.retry_after("session", session)
        if wait is not None:
            return slow_down(wait, region, origin)

        if chat_request.is_payload:
            message = chat_request.text  # exactly what Harbour offered: nothing personal in it
        else:
            message = as_typed_text(clean_message(chat_request.text))
        metadata = {"school": school.id} if school else {}
        if chat_request.language:
            metadata["language"] = chat_request.language
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
        messages = normalise_replies(replies)
        offered.remember(session, messages)
        return response.json({"messages": messages}, headers=cors(origin))

    def slow_down(wait: float, region: Optional[str], origin: Optional[str]) -> HTTPResponse:
        return response.json(too_fast(region), status=429, headers={**cors(origin), "Retry-After": str(int(wait) + 1)})

    add_insight_routes(app, settings, schools)  # /insight, /insight/api, /insight/csv, /api/beacon (issue 17)
    return app
