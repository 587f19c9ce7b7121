"""Rasa's Redis lock store, configured from one URL (HARBOUR_REDIS_URL), with tickets that
are issued atomically and kept alive while their message is being handled.

Several Rasa servers share conversations (`make cluster`, deploy/): the lock makes the
messages of one conversation run one at a time whichever server gets them. Used from
deploy/endpoints.yml as

    lock_store:
      type: bot.rasa.lock_store.HarbourRedisLockStore
      url: ${HARBOUR_REDIS_URL}        # redis://[:password@]host:port[/db]
      key_prefix: harbour

If Redis is down, taking the lock fails; Harbour's REST channel (bot/rasa/channel.py)
catches that and the safety net answers with the region's helpline, until Redis is back.

Rasa's own Redis lock store has two holes that let two messages of one conversation run
at once on two servers, and then Rasa's SQL store, which appends a tracker's events after
*counting* the stored rows, drops or garbles the events of one of them (for example the
new region a parent just gave: issue 16, the stale-region test):

- a ticket expires TICKET_LOCK_LIFETIME seconds after it was issued even while its
  message is still being handled, so on a busy machine (a message can take longer than
  the 10 s the cluster sets) the next message of the conversation goes ahead on the other
  server. Harbour renews the ticket every third of its lifetime while the message runs,
  so only a server that died (or whose event loop stopped) loses its place, after at
  most one lifetime;
- issuing a ticket is a read, a change and a write of one Redis key from the server's
  side, so two servers issuing at the same moment can both get the first ticket. Harbour
  issues, renews and returns tickets each in one Lua script, which Redis runs atomically:
  two round trips a message instead of Rasa's six.

The lock is stored exactly as Rasa stores it (rasa.core.lock.TicketLock as JSON), and a
waiting ticket goes ahead as soon as no live ticket is ahead of it (Rasa 3.6 waits for
`now_serving` to equal its own ticket, which never happens once that ticket has expired
too). On another Rasa version this store behaves as Rasa's own (bot/rasa/speedups/).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Dict, Text, Tuple
from urllib.parse import urlsplit

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa.speedups import supported

logger = logging.getLogger(__name__)

# How often a message waiting for an earlier one of its conversation looks again (Rasa: 1 s).
WAIT_SECONDS = 0.1

# KEYS[1] the lock; ARGV conversation id, now, lifetime. Drops expired tickets, adds one
# numbered after the last live one (as TicketLock.issue_ticket does) and returns
# {its number, how many live tickets are ahead of it}.
ISSUE = """
local tickets, last = {}, -1
local raw = redis.call('GET', KEYS[1])
if raw then
  for _, item in ipairs(cjson.decode(raw)['tickets'] or {}) do
    local ticket = cjson.decode(item)
    if ticket['expires'] >= tonumber(ARGV[2]) then
      table.insert(tickets, item)
      last = ticket['number']
    end
  end
end
local number = last + 1
local ahead = #tickets
table.insert(tickets, cjson.encode({number = number, expires = tonumber(ARGV[2]) + tonumber(ARGV[3])}))
redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[1], tickets = tickets}))
return {number, ahead}
"""

# KEYS[1] the lock; ARGV ticket number, now. Returns how many live tickets are ahead of it.
AHEAD = """
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local ahead = 0
for _, item in ipairs(cjson.decode(raw)['tickets'] or {}) do
  local ticket = cjson.decode(item)
  if ticket['number'] < tonumber(ARGV[1]) and ticket['expires'] >= tonumber(ARGV[2]) then ahead = ahead + 1 end
end
return ahead
"""

# KEYS[1] the lock; ARGV conversation id, ticket number, new expiry, now. Renews the ticket
# (drop = 0) or returns it (drop = 1, ARGV[5]); expired tickets go; an empty lock is deleted.
# Returns 1 when the ticket was still there.
UPDATE = """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local kept, found = {}, 0
for _, item in ipairs(cjson.decode(raw)['tickets'] or {}) do
  local ticket = cjson.decode(item)
  if ticket['number'] == tonumber(ARGV[2]) then
    found = 1
    if ARGV[5] == '0' then
      ticket['expires'] = tonumber(ARGV[3])
      table.insert(kept, cjson.encode(ticket))
    end
  elseif ticket['expires'] >= tonumber(ARGV[4]) then
    table.insert(kept, item)
  end
end
if #kept == 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[1], tickets = kept}))
end
return found
"""


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
        self._issue = self.red.register_script(ISSUE)
        self._ahead = self.red.register_script(AHEAD)
        self._update = self.red.register_script(UPDATE)

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        if not supported():  # another Rasa version: its own lock store, as it is
            async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as lock:
                yield lock
            return
        key = self.key_prefix + conversation_id
        number, ahead = self._issue_ticket(key, conversation_id, lock_lifetime)
        # Renewed while it waits too, so a long wait never lets a later message take its number.
        renewing = asyncio.ensure_future(self._keep(key, conversation_id, number, lock_lifetime))
        try:
            while ahead > 0:
                logger.debug("Waiting for %d earlier message(s) of conversation '%s'.", ahead, conversation_id)
                await asyncio.sleep(min(WAIT_SECONDS, wait_time_in_seconds))
                ahead = self._call(self._ahead, key, number, time.time())
                if ahead < 0:  # the lock is gone (Redis restarted or flushed)
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            yield TicketLock(conversation_id, deque([Ticket(number, time.time() + lock_lifetime)]))
        finally:
            renewing.cancel()
            try:
                self._call(self._update, key, conversation_id, number, 0, time.time(), 1)
            except LockError:  # it expires by itself; the next message waits at most that long
                logger.warning("Could not return the lock of a conversation; it expires in %g s.", lock_lifetime)

    def _issue_ticket(self, key: str, conversation_id: Text, lifetime: float) -> Tuple[int, int]:
        number, ahead = self._call(self._issue, key, conversation_id, time.time(), lifetime)
        return int(number), int(ahead)

    async def _keep(self, key: str, conversation_id: Text, number: int, lifetime: float) -> None:
        """Renews the ticket while its message is handled (cancelled when it is done)."""
        every = max(0.5, lifetime / 3)
        while True:
            await asyncio.sleep(every)
            try:
                now = time.time()
                if not self._call(self._update, key, conversation_id, number, now + lifetime, now, 0):
                    logger.warning("A message outlived its lock ticket; the conversation may run two messages at once.")
                    return
            except LockError:
                logger.warning("Could not renew a lock ticket (Redis unreachable).")
                return

    def _call(self, script: Any, key: str, *args: Any) -> Any:
        try:
            return script(keys=[key], args=[repr(a) if isinstance(a, float) else a for a in args])
        except Exception as error:  # noqa: BLE001 - Redis down or refusing: Rasa's LockError
            raise LockError(f"Error while using the lock store: {type(error).__name__}") from error
