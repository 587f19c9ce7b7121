"""Starts only the public web app (`python -m bot.web`, no Rasa) on a free port, for the
insight benchmark, the insight browser tests and the insight screenshots."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import requests

from bot.paths import ROOT
from bot.tools.stack import free_port, rasa_env


@contextmanager
def running_web(tmp: Path, startup_timeout: float = 120, **env: str) -> Iterator[str]:
    """Yields the web app's base URL; stops it on exit. `env` adds settings (HARBOUR_DB, ...)."""
    port = free_port()
    log = tmp / "web.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.web"],
            cwd=ROOT,
            env=rasa_env(WEB_PORT=str(port), RASA_PORT=str(free_port()), **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"web app exited early:\n{log.read_text()[-3000:]}")
            try:
                requests.get(f"{url}/healthz", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() - started > startup_timeout:
                    raise RuntimeError(f"web app not ready:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield url
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
