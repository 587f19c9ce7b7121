"""Who may see insight: the operator's token (HARBOUR_INSIGHT_TOKEN) sees every school;
a school's token (its SHA-256 in directory/schools.yml, `insight_token_sha256`) sees only
that school. Tokens come in an `Authorization: Bearer` header, are compared as hashes in
constant time, and are never logged or stored in plain text.

    python -m bot.insight.access new-token     # a random token and the hash to store
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass
from typing import Mapping, Optional

MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class Viewer:
    operator: bool
    school: Optional[str] = None  # the only school a school's token may see


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer(header: Optional[str]) -> Optional[str]:
    if not header or not header.startswith("Bearer "):
        return None
    token = header[len("Bearer ") :].strip()
    return token if MIN_TOKEN_CHARS <= len(token) <= 512 else None


def identify(header: Optional[str], operator_token: str, schools: Mapping[str, object]) -> Optional[Viewer]:
    """The viewer for this Authorization header, or None (no or an unknown token)."""
    token = bearer(header)
    if token is None:
        return None
    given = digest(token)
    found: Optional[Viewer] = None
    if operator_token and hmac.compare_digest(given, digest(operator_token)):
        found = Viewer(operator=True)
    for school_id, school in schools.items():  # every school is compared, found or not
        stored = getattr(school, "insight_token_sha256", None)
        if stored and hmac.compare_digest(given, stored) and found is None:
            found = Viewer(operator=False, school=school_id)
    return found


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["new-token"]:
        print(__doc__)
        return 2
    token = secrets.token_urlsafe(32)
    print(f"token (give it to the school, keep it secret): {token}")
    print(f"insight_token_sha256: {digest(token)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
