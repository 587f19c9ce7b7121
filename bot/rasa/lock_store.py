"""Rasa's Redis lock store, configured from one URL (HARBOUR_REDIS_URL).

Several Rasa servers share conversations (`make cluster`, deploy/): the lock makes the
messages of one conversation run one at a time whichever server gets them. Used from
deploy/endpoints.yml as

    lock_store:
      type: bot.rasa.lock_store.HarbourRedisLockStore
      url: ${HARBOUR_REDIS_URL}        # redis://[:password@]host:port[/db]
      key_prefix: harbour

If Redis is down, taking the lock fails; Harbour's REST channel (bot/rasa/channel.py)
catches that and the safety net answers with the region's helpline, until Redis is back.

A Rasa server killed while it held a conversation's ticket leaves it behind until it
expires (TICKET_LOCK_LIFETIME). Rasa 3.6 waits for `now_serving` to equal its own ticket,
but the waiting ticket, issued with the same lifetime a moment later, usually expires in
the same second, after which nothing ever equals it and the message waits until the
caller gives up. Harbour's wait goes ahead as soon as no live ticket is ahead of its own.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Text
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


def redis_arguments(url: str) -> Dict[str, Any]:
    """host, port, db, username and password of a redis:// or rediss:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("HARBOUR_REDIS_URL must look like redis://HOST:PORT/DB")
    path = parts.path.strip("/")
    return {
        "host": parts.hostname,
        "port": parts.port or 6379,
        "db": int(path) if path else 1,
        "username": parts.username or None,
        "password": parts.password or None,
        "use_ssl": parts.scheme == "rediss",
    }


class HarbourRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = dict(endpoint_config.kwargs)
        options.pop("type", None)
        super().__init__(**redis_arguments(endpoint_config.url or ""), **options)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            ahead = [t for t in lock.tickets if t.number < ticket and not t.has_expired()]
            if not ahead:
                return lock
            logger.debug("Waiting for %d earlier message(s) of conversation '%s'.", len(ahead), conversation_id)
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
