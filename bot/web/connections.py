"""A cap on open connections per client address (issue 18, L6).

Without it one client can hold thousands of slow connections open (the web app's file
limit is 20,000). A connection over the cap is closed as soon as it is made, before a
byte is read. The deployment's own proxies (HARBOUR_TRUSTED_PROXIES) carry many parents'
connections and are not capped. Used by `python -m bot.web` (bot/web/__main__.py); the cap
is app.config.HARBOUR_CONNECTIONS_PER_ADDRESS, set by bot/web/app.py create_app.
"""

from __future__ import annotations

import ipaddress
from collections import Counter

from sanic.server.protocols.http_protocol import HttpProtocol


class CappedHttpProtocol(HttpProtocol):
    __slots__ = ("_capped_peer",)  # HttpProtocol has slots: no instance __dict__
    open_per_address: Counter = Counter()

    def _peer(self, transport) -> str:
        peer = transport.get_extra_info("peername")
        return str(peer[0]) if isinstance(peer, (tuple, list)) and peer else ""

    def _exempt(self, peer: str) -> bool:
        trusted = getattr(self.app.ctx, "trusted_proxies", ())
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return True  # a Unix socket: no address to cap
        return any(address.version == n.version and address in n for n in trusted)

    def connection_made(self, transport):
        peer = self._peer(transport)
        self._capped_peer = None
        if not self._exempt(peer):
            cap = getattr(self.app.config, "HARBOUR_CONNECTIONS_PER_ADDRESS", 0)
            if cap and self.open_per_address[peer] >= cap:
                transport.abort()
                return
            self.open_per_address[peer] += 1
            self._capped_peer = peer
        super().connection_made(transport)

    def connection_lost(self, exc):
        peer = self._capped_peer
        if peer is not None:
            self.open_per_address[peer] -= 1
            if self.open_per_address[peer] <= 0:
                del self.open_per_address[peer]
            self._capped_peer = None
        super().connection_lost(exc)
