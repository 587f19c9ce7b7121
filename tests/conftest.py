"""Shared fixtures. The model is trained once per test session into a temporary folder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RASA = [sys.executable, "-m", "rasa"]
TRAIN_DATA = ["data/nlu", "data/rules", "data/stories", "data/responses"]


def rasa_env() -> dict:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=str(ROOT),
        PYTHONHASHSEED="0",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    return env


def run_rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*RASA, *args], cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models")
    result = run_rasa(
        "train", "--config", "config.yml", "--domain", "domain.yml", "--data", *TRAIN_DATA,
        "--out", str(out), "--fixed-model-name", "harbour-test",
    )
    model = out / "harbour-test.tar.gz"
    assert result.returncode == 0 and model.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    return model


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    path = ROOT / "reports"
    path.mkdir(exist_ok=True)
    return path
