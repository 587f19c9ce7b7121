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
"""

from __future__ import annotations

from typing import Any, Dict
from urllib.parse import urlsplit

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig


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
