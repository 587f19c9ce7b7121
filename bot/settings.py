"""Every setting Harbour reads from the environment, with its default, in one place.

`load()` reads the environment when it is called and returns one frozen `Settings`;
nothing is read at import, so importing this module has no side effects. The web app,
the channel, the tracker store, retention and the maintainer commands take their values
from it. scripts/run.sh (what `make run` starts) exports the same values to the shell:

    eval "$(python -m bot.settings)"     # export RASA_PORT=5005 ... (environment wins)

Each field names its environment variable; the field's default is the only default.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, field, fields
from typing import Any, Dict, Mapping, Optional


def _env(name: str, default: Any) -> Any:
    return field(default=default, metadata={"env": name})


@dataclass(frozen=True)
class Settings:
    # Where each process listens. Rasa and the action server stay on loopback.
    rasa_port: int = _env("RASA_PORT", 5005)
    actions_port: int = _env("ACTIONS_PORT", 5055)
    host: str = _env("HARBOUR_HOST", "127.0.0.1")
    web_host: str = _env("WEB_HOST", "127.0.0.1")
    web_port: int = _env("WEB_PORT", 8000)
    # What `make run` serves and where conversations are stored.
    model: str = _env("HARBOUR_MODEL", "models/harbour.tar.gz")
    db: str = _env("HARBOUR_DB", "var/harbour.db")
    credentials: str = _env("HARBOUR_CREDENTIALS", "credentials.yml")
    endpoints: str = _env("HARBOUR_ENDPOINTS", "endpoints.yml")
    # Privacy: conversations idle longer than this are deleted; the purge runs this often.
    retention_days: float = _env("RETENTION_DAYS", 30.0)
    purge_every_seconds: float = _env("HARBOUR_PURGE_EVERY_SECONDS", 86400.0)
    # The public web app: messages a minute per session and per address, and how long
    # it waits for Rasa.
    rate_session: int = _env("HARBOUR_RATE_SESSION", 20)
    rate_address: int = _env("HARBOUR_RATE_ADDRESS", 120)
    rasa_timeout: float = _env("HARBOUR_RASA_TIMEOUT", 20.0)
    # The public web app's request pipeline (issue 18): where rate-limit counts live
    # (memory://, or redis://host:port shared by several web apps), the deployment's own
    # proxies (addresses or CIDRs, comma-separated: only behind these is X-Forwarded-For
    # read), open connections per client address, and seconds a client may take to send
    # its request and may keep an idle connection open.
    rate_storage: str = _env("HARBOUR_RATE_STORAGE", "memory://")
    trusted_proxies: str = _env("HARBOUR_TRUSTED_PROXIES", "")
    connections_per_address: int = _env("HARBOUR_CONNECTIONS_PER_ADDRESS", 32)
    request_timeout: float = _env("HARBOUR_REQUEST_TIMEOUT", 10.0)
    keep_alive_timeout: float = _env("HARBOUR_KEEP_ALIVE_TIMEOUT", 5.0)
    # The secret the web app shares with Rasa's REST channel (bot/rasa/channel_secret.py).
    # Empty: one is made once and kept in the database's folder. Never logged.
    channel_secret: str = _env("HARBOUR_CHANNEL_SECRET", "")
    # The tracker store serves a conversation saved this recently from memory (0: never).
    tracker_cache_seconds: float = _env("HARBOUR_TRACKER_CACHE_SECONDS", 600.0)
    # The NLU encoder (bot/nlu/encoder.py): threads, where training embeddings are cached,
    # and the tokens it may read for one message, every embedding of it together
    # (bot/nlu/encoder_budget.py; about 1 ms a token on one core: docs/encoder.md).
    encoder_threads: int = _env("HARBOUR_ENCODER_THREADS", 1)
    encoder_budget: int = _env("HARBOUR_ENCODER_BUDGET", 128)
    cache_dir: str = _env("HARBOUR_CACHE_DIR", ".cache")
    # Runtime data; empty means the shipped files (directory/services.yml, directory/schools.yml).
    services_file: str = _env("HARBOUR_SERVICES_FILE", "")
    schools_file: str = _env("HARBOUR_SCHOOLS_FILE", "")
    # Chat sessions (bot/web/session.py): the key that signs the session ids the server
    # issues. Empty: a random key is made once and kept in the database's folder, so a
    # restart keeps sessions. Never logged.
    session_secret: str = _env("HARBOUR_SESSION_SECRET", "")
    # Insight (bot/insight/, issue 17): the operator's token for /insight (empty: no
    # operator access), and widget beacons a minute per address.
    insight_token: str = _env("HARBOUR_INSIGHT_TOKEN", "")
    rate_beacon: int = _env("HARBOUR_RATE_BEACON", 60)
    # Past one machine (deploy/, `make cluster`, docs/deploy.md): the PostgreSQL tracker store
    # (empty: SQLite in HARBOUR_DB), Redis for Rasa's lock store, and the URL the web app posts
    # to (empty: Rasa on loopback at RASA_PORT; in a cluster, nginx's Rasa upstream).
    db_url: str = _env("HARBOUR_DB_URL", "")
    redis_url: str = _env("HARBOUR_REDIS_URL", "")
    rasa_upstream: str = _env("HARBOUR_RASA_URL", "")

    @property
    def rasa_url(self) -> str:
        return self.rasa_upstream.rstrip("/") or f"http://127.0.0.1:{self.rasa_port}"


def load(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """The settings now: each field from its environment variable, else its default."""
    environ = os.environ if environ is None else environ
    values: Dict[str, Any] = {}
    for item in fields(Settings):
        raw = environ.get(item.metadata["env"])
        if raw is None or raw == "":
            continue
        kind = type(item.default)
        try:
            values[item.name] = kind(raw)
        except ValueError:
            raise ValueError(f"{item.metadata['env']}={raw!r} is not a valid {kind.__name__}") from None
    return Settings(**values)


def as_environment(settings: Settings) -> Dict[str, str]:
    """{VARIABLE: value} for every setting, as a shell or a child process reads them."""
    out = {}
    for item in fields(Settings):
        value = getattr(settings, item.name)
        out[item.metadata["env"]] = f"{value:g}" if isinstance(value, float) else str(value)
    return out


def main() -> int:
    for name, value in as_environment(load()).items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
