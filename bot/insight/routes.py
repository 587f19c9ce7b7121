"""/insight (the page), /insight/api (JSON), /insight/csv and /api/beacon on the web app.

    from bot.insight.routes import add_insight_routes
    add_insight_routes(app, settings, schools)          # one line in bot/web/app.py

Everything on the page is drawn from /insight/api in the browser (inline SVG, text set
as text, nothing from another site); the figures are suppressed before they leave here.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Dict, Tuple

import sqlalchemy as sa
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.insight import store
from bot.insight.access import Viewer, identify
from bot.insight.report import KINDS, MAX_DAYS, build, to_csv
from bot.regions import PLACE_CODES
from bot.settings import Settings
from bot.topics import content_topics
from bot.web.client_address import client_address, parse_networks
from bot.web.limits import RateLimits

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {
    "insight.js": "application/javascript; charset=utf-8",
    "insight.css": "text/css; charset=utf-8",
}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
BEACON_EVENTS = {"click": None, "quick_exit": "quick_exit", "clear_chat": "clear_chat"}
BEACON_KINDS = {kind: metric for metric, kind in KINDS.items()}
MAX_BEACON_BYTES = 1024
CHANNEL = "rest"  # the channel the widget's messages arrive on (bot/rasa/channel.py)


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@lru_cache(maxsize=1)
def topic_titles() -> Dict[str, str]:
    from bot.paths import ROOT
    from bot.yamlio import load_yaml

    return dict(load_yaml(ROOT / "lexicon" / "topic_titles.yml").get("topic_titles") or {})


def parse_range(args, today: date) -> Tuple[date, date]:
    """start and end (inclusive) from ?start=YYYY-MM-DD&end=YYYY-MM-DD; the last 30 days
    by default."""
    try:
        end = date.fromisoformat(args.get("end")) if args.get("end") else today
        start = date.fromisoformat(args.get("start")) if args.get("start") else end - timedelta(days=29)
    except (TypeError, ValueError):
        raise Refused(400, "Dates must look like 2026-11-29 (year-month-day).") from None
    if start > end:
        raise Refused(400, "The start date must be on or before the end date.")
    if (end - start).days + 1 > MAX_DAYS:
        raise Refused(400, f"Choose at most {MAX_DAYS} days at a time.")
    return start, end


def add_insight_routes(app: Sanic, settings: Settings, schools: Dict[str, object]) -> None:
    engine = store.engine_for(settings.db_url or settings.db)  # PostgreSQL in a cluster
    services = _service_names()
    topics = frozenset(content_topics())
    per_address = RateLimits(settings.rate_beacon, settings.rate_beacon, settings.rate_storage)
    trusted_proxies = parse_networks(settings.trusted_proxies)
    ready = {"table": False}

    def connection(write: bool = False):
        if not ready["table"]:
            store.ensure(engine)
            ready["table"] = True
        return engine.begin() if write else engine.connect()

    def refuse(status: int, message: str) -> HTTPResponse:
        return response.json({"error": message}, status=status, headers={"Cache-Control": "no-store"})

    def viewer_for(request: Request) -> Viewer:
        viewer = identify(request.headers.get("authorization"), settings.insight_token, schools)
        if viewer is None:
            raise Refused(401, "Sign in with your insight token.")
        return viewer

    def figures(request: Request) -> dict:
        viewer = viewer_for(request)
        args = request.args
        school = args.get("school") or None
        region = args.get("region") or None
        if not viewer.operator:
            if school and school != viewer.school:
                raise Refused(403, "This token shows one school's counts only.")
            school = viewer.school
        elif school and school not in schools:
            raise Refused(404, "There is no school with that id.")
        if region and region not in PLACE_CODES:
            raise Refused(400, "Unknown region.")
        start, end = parse_range(args, datetime.now(timezone.utc).date())
        visible = {k: getattr(s, "name", k) for k, s in schools.items()}
        with connection() as conn:
            report = build(
                conn,
                start,
                end,
                school=school,
                region=region,
                topic_titles=topic_titles(),
                service_names=services,
                school_names=visible if viewer.operator and not school else None,
            )
        report["viewer"] = {"operator": viewer.operator, "school": viewer.school}
        report["choices"] = {
            "schools": [
                {"id": k, "name": n} for k, n in sorted(visible.items()) if viewer.operator or k == viewer.school
            ],
            "regions": list(PLACE_CODES),
        }
        return report

    @app.get("/insight")
    async def insight_page(_: Request) -> HTTPResponse:
        return response.html((STATIC / "insight.html").read_text(encoding="utf-8"), headers=PAGE_HEADERS)

    def asset(name: str):
        async def serve(_: Request) -> HTTPResponse:
            return response.text(
                (STATIC / name).read_text(encoding="utf-8"), content_type=ASSETS[name], headers=PAGE_HEADERS
            )

        return serve

    for name in ASSETS:
        app.add_route(asset(name), f"/insight/{name}", methods=["GET"], name=f"insight_{name.replace('.', '_')}")

    def checked_figures(request: Request) -> dict:
        try:
            return figures(request)
        except sa.exc.SQLAlchemyError:
            logger.exception("insight: the counts could not be read")
            raise Refused(503, "Insight can't be shown right now. Please try again later.") from None

    @app.get("/insight/api")
    async def insight_api(request: Request) -> HTTPResponse:
        try:
            return response.json(checked_figures(request), headers={"Cache-Control": "no-store"})
        except Refused as refused:
            return refuse(refused.status, str(refused))

    @app.get("/insight/csv")
    async def insight_csv(request: Request) -> HTTPResponse:
        try:
            report = checked_figures(request)
        except Refused as refused:
            return refuse(refused.status, str(refused))
        name = f"harbour-insight-{report['range']['start']}-{report['range']['end']}.csv"
        return response.text(
            to_csv(report),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    def beacon_key(request: Request) -> store.Key:
        if len(request.body or b"") > MAX_BEACON_BYTES:
            raise Refused(413, "Too large.")
        try:
            payload = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise Refused(400, "That wasn't valid JSON.") from None
        if not isinstance(payload, dict):
            raise Refused(400, "Send a JSON object.")
        school_id = payload.get("school")
        school = schools.get(school_id) if isinstance(school_id, str) else None
        if school_id is not None and school is None:
            raise Refused(403, "This school is not set up for Harbour.")
        origin = request.headers.get("origin")
        same_site = origin in (f"http://{request.host}", f"https://{request.host}")
        if not origin or not (same_site or origin in (school.allowed_origins if school else [])):
            raise Refused(403, "This site is not allowed to use Harbour for that school.")
        event = payload.get("event")
        if event not in BEACON_EVENTS:
            raise Refused(400, "Unknown event.")
        topic, region = payload.get("topic"), payload.get("region")
        if topic is not None and topic not in topics:
            raise Refused(400, "Unknown topic.")
        if region is not None and region not in PLACE_CODES:
            raise Refused(400, "Unknown region.")
        metric, detail = BEACON_EVENTS[event], ""
        if event == "click":
            service, kind = payload.get("service"), payload.get("kind")
            if not isinstance(service, str) or service not in services or kind not in BEACON_KINDS:
                raise Refused(400, "Unknown service or contact kind.")
            metric, detail = BEACON_KINDS[kind], service
        return store.Key(
            day=datetime.now(timezone.utc).date().isoformat(),
            metric=metric,
            school=school.id if school else "",
            region=region or (school.region if school else ""),
            channel=CHANNEL,
            topic=topic or "",
            detail=detail,
        )

    @app.post("/api/beacon")
    async def beacon(request: Request) -> HTTPResponse:
        address = client_address(request.ip, request.headers.get("x-forwarded-for"), trusted_proxies)
        if per_address.retry_after("address", address) is not None:
            return refuse(429, "Too many.")
        try:
            key = beacon_key(request)
        except Refused as refused:
            return refuse(refused.status, str(refused))
        try:
            with connection(write=True) as conn:
                store.add(conn, {key: 1})
        except Exception:  # noqa: BLE001 - a lost count must never show as an error to a parent
            logger.exception("insight: a beacon was not recorded")
        return response.empty(status=204)


def _service_names() -> Dict[str, str]:
    from bot.services.directory import load_services

    return {sid: service.name for sid, service in load_services().items()}
