"""The chat page the widget frames (issue 18, M2): /chat, /chat.js and /chat.css.

The whole conversation lives in this page, on Harbour's own origin, inside an iframe that
bot/web/static/widget.js draws on the school's site. The school's page, and every script
on it, cannot read the conversation, the session id or the keystrokes; the two sides
talk only by postMessage (open, close, Escape, quick exit), with origins checked.

Every chat page has a strict Content-Security-Policy: scripts and styles from Harbour
only (no inline script), requests to Harbour only, and `frame-ancestors` listing the
school's allowed origins (directory/schools.yml) and Harbour itself, so only that school's
site can frame it. An unknown or missing school gets Harbour's own origin only, as
/api/chat allows today.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.services.offline import helpline_lines
from bot.services.schools import School

STATIC = Path(__file__).resolve().parent / "static"
PAGE = STATIC / "chat.html"
CONFIG_MARK = "/*HARBOUR_CONFIG*/{}"
DEFAULT_THEME = {"primary": "#1d4f91", "text": "#ffffff"}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def content_security_policy(school: Optional[School]) -> str:
    ancestors = " ".join(["'self'", *(school.allowed_origins if school else [])])
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        f"base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )


def page_config(school: Optional[School]) -> Dict[str, object]:
    """What the chat page needs before its first message: the school, its colours, the
    origins allowed to frame it (the only ones it posts to) and the offline helpline."""
    theme = {"primary": school.theme.primary, "text": school.theme.text_on_primary} if school else DEFAULT_THEME
    parents: List[str] = list(school.allowed_origins) if school else []
    return {
        "school": school.id if school else None,
        "theme": theme,
        "parents": parents,
        "offline": helpline_lines(school.region if school else None),
    }


def render(school: Optional[School]) -> str:
    # JSON inside a non-executed <script type="application/json">: "<", ">" and "&" are
    # escaped so no value can close the element.
    data = json.dumps(page_config(school)).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return PAGE.read_text(encoding="utf-8").replace(CONFIG_MARK, data)


def register_pages(app: Sanic, schools: Dict[str, School]) -> None:
    """Adds the chat page and its script and styles to the app."""

    @app.get("/chat")
    async def chat_page(request: Request) -> HTTPResponse:
        school_id = request.args.get("school")
        school = schools.get(school_id) if isinstance(school_id, str) else None
        return response.html(
            render(school),
            headers={
                **SECURITY_HEADERS,
                "Content-Security-Policy": content_security_policy(school),
                "Cache-Control": "no-store",
            },
        )

    @app.get("/chat.js")
    async def chat_script(_: Request) -> HTTPResponse:
        return await response.file(
            STATIC / "chat.js", mime_type="application/javascript; charset=utf-8", headers=SECURITY_HEADERS
        )

    @app.get("/insight-beacon.js")
    async def beacon_script(_: Request) -> HTTPResponse:
        return await response.file(
            STATIC / "insight-beacon.js", mime_type="application/javascript; charset=utf-8", headers=SECURITY_HEADERS
        )

    @app.get("/chat.css")
    async def chat_styles(_: Request) -> HTTPResponse:
        return await response.file(STATIC / "chat.css", mime_type="text/css; charset=utf-8", headers=SECURITY_HEADERS)
