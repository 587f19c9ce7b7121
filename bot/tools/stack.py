"""Runs Rasa commands and the whole Harbour stack the way `make` does, for tests and the
benchmark (the test and bench harness: nothing in production imports it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

import requests

from bot import settings
from bot.paths import ROOT
from bot.rasa.api_auth import bearer_header
from bot.rasa.channel_secret import SECRET_FILE, secret_headers

# Rasa reads exactly data/: training examples, responses, rules and stories.
TRAIN_DATA = ["data"]
LAUNCHER = "bot.rasa.launcher"


def rasa_env(**extra: str) -> Dict[str, str]:
    """The environment `make` gives Rasa: every setting (bot/settings.py), no telemetry."""
    env = dict(os.environ)
    env.update(settings.as_environment(settings.load()))
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=str(ROOT),
        PYTHONHASHSEED="0",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    env.update(extra)
    return env


def run_rasa(*args: str, timeout: int = 900, **env: str) -> subprocess.CompletedProcess:
    """`rasa ARGS` through bot/rasa/launcher.py (no TensorFlow unless needed), or the plain
    `rasa` command when HARBOUR_STOCK_RASA=1 (the stock baseline in `make bench`)."""
    launcher = "rasa" if env.get("HARBOUR_STOCK_RASA") == "1" else LAUNCHER
    return subprocess.run(
        [sys.executable, "-m", launcher, *args],
        cwd=ROOT,
        env=rasa_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def train(out: Path, name: str, config: str = "config.yml", timeout: int = 900, **env: str) -> Path:
    result = run_rasa(
        "train",
        "--config",
        config,
        "--domain",
        "domain.yml",
        "--data",
        *TRAIN_DATA,
        "--out",
        str(out),
        "--fixed-model-name",
        name,
        timeout=timeout,
        **env,
    )
    model = out / f"{name}.tar.gz"
    if result.returncode != 0 or not model.exists():
        raise RuntimeError(f"training failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harbour:
    """A running stack: its process group, Rasa's URL and the SQLite store."""

    def __init__(self, process: subprocess.Popen, rasa_port: int, web_port: int, db: Path, log: Path) -> None:
        self.process, self.rasa_port, self.db, self.log = process, rasa_port, db, log
        self.url = f"http://127.0.0.1:{rasa_port}"
        self.web_url = f"http://127.0.0.1:{web_port}"
        self.started_in: Optional[float] = None
        self.given_channel_secret = ""  # HARBOUR_CHANNEL_SECRET, when the stack was started with one
        self.api_token: Optional[str] = None  # RASA_AUTH_TOKEN, when the HTTP API is on

    @property
    def channel_secret(self) -> str:
        """The secret Rasa's REST channel requires (bot/rasa/channel_secret.py): the one the
        stack was given, else the one Rasa made beside the database ("" until it has)."""
        if self.given_channel_secret:
            return self.given_channel_secret
        kept = self.db.parent / SECRET_FILE
        return kept.read_text(encoding="utf-8").strip() if kept.exists() else ""

    def api_headers(self) -> Dict[str, str]:
        """An Authorization header for Rasa's HTTP API (bot/rasa/api_auth.py: never a query token)."""
        return bearer_header(self.api_token or "")

    def new_session(self) -> str:
        """A signed session id from the web app (POST /api/session), as the chat page gets one."""
        response = requests.post(f"{self.web_url}/api/session", timeout=10)
        response.raise_for_status()
        return response.json()["session"]

    def say(self, sender: str, message, timeout: float = 30, metadata: Optional[dict] = None) -> list:
        payload = {"sender": sender, "message": message}
        if metadata is not None:
            payload["metadata"] = metadata
        headers = secret_headers(self.channel_secret)
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json=payload, headers=headers, timeout=timeout)
        response.raise_for_status()
        return response.json()


@contextmanager
def running_harbour(
    model: Path,
    tmp: Path,
    token: Optional[str] = None,
    startup_timeout: float = 240,
    rate_limits: bool = True,
    **extra_env: str,
) -> Iterator[Harbour]:
    """Starts scripts/run.sh (as `make run` does: actions, Rasa, web app) on free ports.
    `rate_limits=False` lifts the web app's per-session and per-address limits, for load
    tests where every simulated parent shares one address."""
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    env = rasa_env(
        RASA_PORT=str(rasa_port),
        ACTIONS_PORT=str(actions_port),
        WEB_PORT=str(web_port),
        HARBOUR_MODEL=str(model),
        HARBOUR_DB=str(tmp / "harbour.db"),
        RETENTION_DAYS="30",
        **extra_env,
    )
    if not rate_limits:
        env.update(HARBOUR_RATE_SESSION="1000000", HARBOUR_RATE_ADDRESS="1000000")
    env.pop("RASA_AUTH_TOKEN", None)
    if token:
        env["RASA_AUTH_TOKEN"] = token
    log = tmp / "servers.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    harbour = Harbour(process, rasa_port, web_port, tmp / "harbour.db", log)
    harbour.given_channel_secret = env.get("HARBOUR_CHANNEL_SECRET", "")
    harbour.api_token = token
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"servers exited early:\n{log.read_text()[-3000:]}")
            try:
                harbour.say("startup-probe", "hello", timeout=5)
                requests.get(f"{harbour.web_url}/healthz", timeout=5).raise_for_status()
                harbour.started_in = time.monotonic() - started
                break
            except requests.RequestException:
                if time.monotonic() - started > startup_timeout:
                    raise RuntimeError(f"servers not ready:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.25)
        yield harbour
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
