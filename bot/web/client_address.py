"""Which address a request comes from, for the per-address rate limit.

The direct peer (the socket's address), unless that peer is one of the deployment's own
proxies (HARBOUR_TRUSTED_PROXIES: addresses or CIDRs, comma-separated). Only then is
X-Forwarded-For read, from the right: the first address that is not a trusted proxy is
the client. A client cannot choose its own key by sending the header itself, because its
own connection is never from a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from typing import Optional, Sequence, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


def parse_networks(setting: str) -> tuple:
    """'10.0.0.0/8, 127.0.0.1' -> networks; a bad entry stops start-up with its name."""
    networks = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"HARBOUR_TRUSTED_PROXIES: {entry!r} is not an address or CIDR") from None
    return tuple(networks)


def _address(text: str) -> Optional[ipaddress._BaseAddress]:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: ipaddress._BaseAddress, networks: Sequence[Network]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(peer: str, forwarded_for: Optional[str], trusted: Sequence[Network]) -> str:
    """The rate-limit key's address for a request from `peer` with this X-Forwarded-For."""
    peer_address = _address(peer or "")
    if peer_address is None or not trusted or not _trusted(peer_address, trusted):
        return peer or "unknown"
    client = peer_address
    for hop in reversed((forwarded_for or "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: keep the last hop our own proxies vouched for
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)
