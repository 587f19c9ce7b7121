"""Harbour's REST channel: Rasa's REST webhook plus a safety net.

Rasa answers nothing when a custom action fails (action server down, an exception):
it logs the error and moves on. A parent must never get a blank, so after each message
this channel checks the conversation: if a custom action since the parent's message
produced nothing, or the reply is empty, it adds `utter_helpline`, the main helpline
for the parent's region. That is a domain response rendered by Rasa itself, so it works
without the action server. Configured in credentials.yml; same URL as Rasa's channel:
POST /webhooks/rest/webhook {"sender": ..., "message": ..., "metadata": {...}}.
"""
from __future__ import annotations

import logging
import os
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response

from bot.redact import redact
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)
# Settings that answers quote, filled in here so they always match the configuration.
SETTINGS = {"{retention_days}": lambda: os.environ.get("RETENTION_DAYS", "30")}

SAFETY_NET_RESPONSE = "utter_helpline"
APOLOGY = "I'm sorry, something went wrong on my side, so I can't show you everything right now."
STORE_TROUBLE = "I'm having trouble saving our conversation, so I may not remember what you said earlier."
# Tracker-store errors raised while handling the current message (see _watch_store).
_store_errors: ContextVar[Optional[list]] = ContextVar("harbour_store_errors", default=None)


def _record_store_error(error: Exception) -> None:
    # Replaces Rasa's own log line for this, so it must say it just as clearly.
    logger.error(
        "The tracker store failed (%s: %s). Answering from memory until it works again; "
        "check that the database (HARBOUR_DB) is writable.", type(error).__name__, error,
    )
    errors = _store_errors.get()
    if errors is not None:
        errors.append(error)


def _watch_store(agent: Any) -> None:
    """Rasa falls back to memory when the tracker store fails, and calls this hook."""
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is None:
        store._on_tracker_store_error = _record_store_error
# Last resort when even the domain response cannot be rendered. Numbers from
# data/services.yml (childline, samaritans, uk_emergency_999_112).
LAST_RESORT = (
    "If you'd like to talk to someone now, Childline is on 0800 1111 and Samaritans on "
    "116 123, both free, day and night. If a child is in danger, call 999."
)


def failed_custom_actions(tracker: DialogueStateTracker, custom_actions: set) -> List[str]:
    """Custom actions run since the parent's last message that logged no events at all."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
    after = events[last_user + 1:]
    failed = []
    for position, event in enumerate(after):
        if isinstance(event, ActionExecuted) and event.action_name in custom_actions:
            following = after[position + 1] if position + 1 < len(after) else None
            if following is None or isinstance(following, ActionExecuted):
                failed.append(event.action_name)
    return failed


async def safety_net(agent: Any, sender_id: Text, replies: List[Dict], store_failed: bool = False) -> List[Dict]:
    """Extra messages to send: none when all went well, else an apology and a helpline."""
    tracker: Optional[DialogueStateTracker] = None
    try:
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:  # the store itself is failing; still answer the parent
        logger.exception("Could not read the conversation to check the reply")
    failed = failed_custom_actions(tracker, set(agent.domain.user_actions)) if tracker else []
    if replies and not failed and not store_failed:
        return []
    logger.error(
        "Sending the safety-net helpline: %s",
        f"actions {failed} produced nothing" if failed
        else "the tracker store failed" if store_failed else "the reply was empty",
    )
    text = LAST_RESORT
    try:
        tracker = tracker or DialogueStateTracker(sender_id, agent.domain.slots)
        rendered = await agent.nlg.generate(SAFETY_NET_RESPONSE, tracker, "rest")
        text = (rendered or {}).get("text") or LAST_RESORT
    except Exception:
        logger.exception("Could not render %s; sending the built-in helpline", SAFETY_NET_RESPONSE)
    first = STORE_TROUBLE if store_failed and replies and not failed else APOLOGY
    return [{"recipient_id": sender_id, "text": first}, {"recipient_id": sender_id, "text": text}]


def fill_settings(reply: Dict) -> Dict:
    text = reply.get("text")
    if isinstance(text, str) and "{" in text:
        for placeholder, value in SETTINGS.items():
            text = text.replace(placeholder, value())
        reply = {**reply, "text": text}
    return reply


class HarbourRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        webhook = Blueprint("harbour_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = request.json
            except Exception:
                payload = None
            if not isinstance(payload, dict) or not isinstance(payload.get("sender"), str):
                return response.json(
                    {"error": "send JSON like {\"sender\": \"id\", \"message\": \"text\"}"},
                    status=400,
                )
            sender_id = payload["sender"]
            message = payload.get("message")
            # Redacted here too, so nothing personal reaches the tracker store whichever
            # way a message arrives (the public web app redacts as well).
            text = redact(message) if isinstance(message, str) else ""
            metadata = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None
            collector = CollectingOutputChannel()
            _watch_store(request.app.ctx.agent)
            store_errors: list = []
            _store_errors.set(store_errors)
            try:
                await on_new_message(
                    UserMessage(text, collector, sender_id, input_channel=self.name(), metadata=metadata)
                )
            except Exception as problem:
                logger.error(
                    "Handling a message failed (%s: %s); the safety net will answer. If this "
                    "names the database, check the tracker store (HARBOUR_DB) is writable.",
                    type(problem).__name__, problem,
                )
            replies = list(collector.messages)
            replies += await safety_net(request.app.ctx.agent, sender_id, replies, bool(store_errors))
            return response.json([fill_settings(reply) for reply in replies])

        return webhook
