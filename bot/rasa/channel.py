"""Harbour's REST channel: Rasa's REST webhook, redaction, and the safety net.

Same URL and payload as Rasa's own REST channel: POST /webhooks/rest/webhook
{"sender": ..., "message": ..., "metadata": {...}}, but only with the secret the web app
shares with Rasa (bot/rasa/channel_secret.py; 403 without it). Each message is redacted again
(bot/privacy/redact.py), so nothing personal reaches the tracker store whichever way it
arrives; after Rasa has answered, the safety net (bot/rasa/safety_net.py) adds the
region's helpline if an action failed or the reply would be empty; and placeholders for
settings that answers quote are filled in. Configured in credentials.yml.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.long_runs import break_long_runs
from bot.privacy.normalise import normalise
from bot.privacy.redact import redact
from bot.rasa.channel_secret import allowed, channel_secret
from bot.rasa.safety_net import safety_net, watch_store

logger = logging.getLogger(__name__)
# Settings that answers quote, filled in here so they always match the configuration.
PLACEHOLDERS = {"{retention_days}": lambda: f"{settings.load().retention_days:g}"}


def fill_placeholders(reply: Dict) -> Dict:
    text = reply.get("text")
    if isinstance(text, str) and "{" in text:
        for placeholder, value in PLACEHOLDERS.items():
            text = text.replace(placeholder, value())
        reply = {**reply, "text": text}
    return reply


class HarbourRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("harbour_rest_webhook", __name__)
        # Read once, when Rasa starts: no secret and nowhere to keep one stops the start.
        secret = channel_secret(settings.load())

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # Only Harbour's web app, which sends the shared secret (bot/rasa/channel_secret.py).
            if not allowed(secret, request.headers):
                return response.json({"error": "not allowed"}, status=403)
            try:
                payload = request.json
            except Exception:
                payload = None
            if not isinstance(payload, dict) or not isinstance(payload.get("sender"), str):
                return response.json(
                    {"error": 'send JSON like {"sender": "id", "message": "text"}'},
                    status=400,
                )
            sender_id = payload["sender"]
            message = payload.get("message")
            # Normalised and redacted here too, so the NLU reads one spelling and nothing
            # personal reaches the tracker store whichever way a message arrives (the public
            # web app does both as well; normalising twice changes nothing).
            # Long runs of symbols are broken too, so no message can stall the tokenizer.
            text = redact(break_long_runs(normalise(message))) if isinstance(message, str) else ""
            metadata = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None
            collector = CollectingOutputChannel()
            store_errors = watch_store(request.app.ctx.agent)
            try:
                await on_new_message(
                    UserMessage(text, collector, sender_id, input_channel=self.name(), metadata=metadata)
                )
            except Exception as problem:
                logger.error(
                    "Handling a message failed (%s: %s); the safety net will answer. If this "
                    "names the database, check the tracker store (HARBOUR_DB) is writable.",
                    type(problem).__name__,
                    problem,
                )
            replies = list(collector.messages)
            replies += await safety_net(request.app.ctx.agent, sender_id, replies, bool(store_errors))
            return response.json([fill_placeholders(reply) for reply in replies])

        return webhook
