"""Starts Harbour's servers the way `make run` does (scripts/run.sh), for tests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

import requests

from tests.conftest import ROOT, rasa_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harbour:
    def __init__(self, process: subprocess.Popen, rasa_port: int, db: Path, log: Path) -> None:
        self.process, self.rasa_port, self.db, self.log = process, rasa_port, db, log
        self.url = f"http://127.0.0.1:{rasa_port}"

    def say(self, sender: str, message, timeout: float = 30) -> list:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()


@contextmanager
def running_harbour(model: Path, tmp: Path, token: Optional[str] = None,
                    startup_timeout: float = 240) -> Iterator[Harbour]:
    rasa_port, actions_port = free_port(), free_port()
    env: Dict[str, str] = rasa_env()
    env.update(
        RASA_PORT=str(rasa_port), ACTIONS_PORT=str(actions_port), HARBOUR_MODEL=str(model),
        HARBOUR_DB=str(tmp / "harbour.db"), RETENTION_DAYS="30",
    )
    env.pop("RASA_AUTH_TOKEN", None)
    if token:
        env["RASA_AUTH_TOKEN"] = token
    log = tmp / "servers.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    harbour = Harbour(process, rasa_port, tmp / "harbour.db", log)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"servers exited early:\n{log.read_text()[-3000:]}")
            try:
                harbour.say("startup-probe", "hello", timeout=5)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"servers not ready:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield harbour
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
