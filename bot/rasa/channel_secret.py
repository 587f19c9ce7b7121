"""Only Harbour's own web app may talk to Rasa's REST channel: a shared secret, on by default (issue 18, L5).

Rasa and its REST channel listen on loopback (or a private network), but without this any
local process, or a request forged through a neighbouring service, could read from or
write into any conversation there, past the web app's rate limits, length limit and
school checks. The web app sends the secret in the X-Harbour-Channel-Secret header and
the channel (bot/rasa/channel.py) answers 403 to a message without it.

The secret is HARBOUR_CHANNEL_SECRET when that is set: the same value for every web app
and Rasa server (`make cluster` makes one per data folder; deploy/compose.yml requires
it). Otherwise it is made the first time it is needed and kept beside the database, in
`channel-secret` (mode 600) in HARBOUR_DB's folder, where `make run`'s web app and Rasa
both read it. It is created whole or not at all, so two processes starting together read
the same value. It is never logged; `python -m bot.rasa.channel_secret` prints it for
scripts/run.sh alone, which hands it to the processes it starts.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Mapping, Optional

from bot.settings import Settings

HEADER = "X-Harbour-Channel-Secret"
SECRET_FILE = "channel-secret"


class NoChannelSecret(RuntimeError):
    """No secret was set and none can be kept beside the database."""


def kept_secret(path: Path) -> str:
    """The secret in `path`, made (64 random hex digits, mode 600) if it is not there yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as out:
                out.write(secrets.token_hex(32))
            try:
                os.link(draft, path)  # atomic, and fails if another process got there first
            except FileExistsError:
                pass
        finally:
            draft.unlink(missing_ok=True)
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < 32:
        raise NoChannelSecret(f"the channel secret in {path} is too short: delete the file to make a new one")
    return secret


def channel_secret(settings: Settings) -> str:
    """HARBOUR_CHANNEL_SECRET, else the one kept beside the database (made on first use)."""
    if settings.channel_secret:
        return settings.channel_secret
    path = Path(settings.db).parent / SECRET_FILE
    try:
        return kept_secret(path)
    except OSError as problem:
        raise NoChannelSecret(
            f"can't keep the channel secret in {path.parent} ({problem.strerror}): "
            "set HARBOUR_CHANNEL_SECRET to the same long random string for the web app and Rasa"
        ) from None


def secret_headers(secret: str) -> dict:
    """The header the web app sends with each message."""
    return {HEADER: secret} if secret else {}


def allowed(secret: str, headers: Mapping[str, str]) -> bool:
    """Whether a request may use the channel: only with the secret (never when none is known)."""
    if not secret:
        return False
    sent: Optional[str] = headers.get(HEADER) or headers.get(HEADER.lower())
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), secret.encode())


if __name__ == "__main__":
    # For scripts/run.sh only, which hands the secret to the processes it starts, so that
    # endpoints.yml can send it to the action server. Writes nothing else.
    from bot.settings import load

    print(channel_secret(load()))
