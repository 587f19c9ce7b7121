"""Only Harbour's own web app may talk to Rasa's REST channel, when a secret is set (issue 18, L5).

Rasa and its REST channel listen on loopback (or a private network), but without this any
local process could read from or write into any conversation there, past the web app's
rate limits, length limit and school checks. With HARBOUR_CHANNEL_SECRET set (the same
value for the web app and Rasa), the web app sends it in the X-Harbour-Channel-Secret
header and the channel refuses a message without it. Empty (the default) turns it off.
"""

from __future__ import annotations

import hmac
from typing import Mapping, Optional

HEADER = "X-Harbour-Channel-Secret"


def secret_headers(secret: str) -> dict:
    """The header the web app sends with each message."""
    return {HEADER: secret} if secret else {}


def allowed(secret: str, headers: Mapping[str, str]) -> bool:
    """Whether a request may use the channel: always when no secret is set."""
    if not secret:
        return True
    sent: Optional[str] = headers.get(HEADER) or headers.get(HEADER.lower())
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), secret.encode())
