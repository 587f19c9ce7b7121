"""The safety net: a parent never gets a blank, whatever failed.

Rasa answers nothing when a custom action fails (action server down, an exception): it
logs the error and moves on. After each message the REST channel (bot/rasa/channel.py)
asks this module to check the conversation: if a custom action since the parent's
message produced nothing, the reply is empty, or the tracker store failed, it adds an
apology and `utter_helpline`, the main helpline for the parent's region. That is a
domain response rendered by Rasa itself, so it works without the action server.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any, Dict, List, Optional, Text

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.speedups import supported

logger = logging.getLogger(__name__)

SAFETY_NET_RESPONSE = "utter_helpline"
APOLOGY = "I'm sorry, something went wrong on my side, so I can't show you everything right now."
STORE_TROUBLE = "I'm having trouble saving our conversation, so I may not remember what you said earlier."
# Tracker-store errors raised while handling the current message (see watch_store).
_store_errors: ContextVar[Optional[list]] = ContextVar("harbour_store_errors", default=None)
# The conversation as the tracker store saved it while handling the current message, so the
# check below does not read it back from the database (see watch_store).
_saved: ContextVar[Optional[dict]] = ContextVar("harbour_saved_tracker", default=None)


def _record_store_error(error: Exception) -> None:
    # Replaces Rasa's own log line for this, so it must say it just as clearly.
    logger.error(
        "The tracker store failed (%s: %s). Answering from memory until it works again; "
        "check that the database (HARBOUR_DB) is writable.",
        type(error).__name__,
        error,
    )
    errors = _store_errors.get()
    if errors is not None:
        errors.append(error)


def watch_store(agent: Any) -> list:
    """Rasa falls back to memory when the tracker store fails, and calls this hook (a
    private attribute, so only on the Rasa version bot/rasa/speedups/ was checked on).
    Returns the list this message's store errors are collected in."""
    store = getattr(agent, "tracker_store", None)
    if (
        supported()
        and isinstance(store, FailSafeTrackerStore)
        and getattr(store, "_on_tracker_store_error", False) is None
    ):
        store._on_tracker_store_error = _record_store_error
    errors: list = []
    _store_errors.set(errors)
    _saved.set({})
    return errors


def saved(tracker: DialogueStateTracker) -> None:
    """Called by Harbour's tracker store (bot/rasa/tracker_store.py) after each save."""
    holder = _saved.get()
    if holder is not None:
        holder[tracker.sender_id] = tracker


# Last resort when even the domain response cannot be rendered. Numbers from
# directory/services.yml (childline, samaritans, uk_emergency_999_112).
LAST_RESORT = (
    "If you'd like to talk to someone now in the UK, Childline is on 0800 1111 and Samaritans on "
    "116 123, both free, day and night. If a child is in danger, call 999 (Ireland 112, US and "
    "Canada 911, Australia 000)."
)


def failed_custom_actions(tracker: DialogueStateTracker, custom_actions: set) -> List[str]:
    """Custom actions run since the parent's last message that logged no events at all."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
    after = events[last_user + 1 :]
    failed = []
    for position, event in enumerate(after):
        if isinstance(event, ActionExecuted) and event.action_name in custom_actions:
            following = after[position + 1] if position + 1 < len(after) else None
            if following is None or isinstance(following, ActionExecuted):
                failed.append(event.action_name)
    return failed


async def safety_net(agent: Any, sender_id: Text, replies: List[Dict], store_failed: bool = False) -> List[Dict]:
    """Extra messages to send: none when all went well, else an apology and a helpline."""
    tracker: Optional[DialogueStateTracker] = (_saved.get() or {}).get(sender_id)
    if tracker is None:  # not saved while handling this message (or not by Harbour's store)
        try:
            tracker = await agent.tracker_store.retrieve(sender_id)
        except Exception:  # the store itself is failing; still answer the parent
            logger.exception("Could not read the conversation to check the reply")
    failed = failed_custom_actions(tracker, set(agent.domain.user_actions)) if tracker else []
    if replies and not failed and not store_failed:
        return []
    logger.error(
        "Sending the safety-net helpline: %s",
        f"actions {failed} produced nothing"
        if failed
        else "the tracker store failed"
        if store_failed
        else "the reply was empty",
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
