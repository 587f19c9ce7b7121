"""Rasa's HTTP API takes its token in a header, never in the query string (issue 18, L5).

With RASA_AUTH_TOKEN set, scripts/run.sh turns Rasa's HTTP API on with that token as its
JWT secret (`--jwt-secret`, HS256) instead of `--auth-token`. Rasa then accepts only
`Authorization: Bearer <a JWT signed with the token>`; `?token=` in a URL, which ends up in
access logs, proxies and shell history, is refused (401). `bearer_header` makes the
header for Harbour's own tools and tests; for curl, `python -m bot.rasa.api_auth` prints a
bearer token that is valid for ten minutes:

    curl -H "Authorization: Bearer $(.venv/bin/python -m bot.rasa.api_auth)" \\
      localhost:5005/model/parse -d '{"text": "hello"}'
"""

from __future__ import annotations

import os
import sys
import time
from typing import Dict

import jwt

ALGORITHM = "HS256"


def bearer_token(secret: str, minutes: float = 10, username: str = "harbour-operator") -> str:
    """A JWT Rasa's API accepts (role admin: every endpoint), expiring after `minutes`."""
    payload = {"user": {"username": username, "role": "admin"}, "exp": int(time.time() + minutes * 60)}
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def bearer_header(secret: str) -> Dict[str, str]:
    """{"Authorization": "Bearer ..."}, or {} without a secret."""
    return {"Authorization": f"Bearer {bearer_token(secret)}"} if secret else {}


def main() -> int:
    secret = os.environ.get("RASA_AUTH_TOKEN", "")
    if not secret:
        print("Set RASA_AUTH_TOKEN to the token Rasa was started with.", file=sys.stderr)
        return 2
    print(bearer_token(secret))
    return 0


if __name__ == "__main__":
    sys.exit(main())
