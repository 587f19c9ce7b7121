"""Shared fixtures. The model is trained once per test session into a temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.paths import ROOT
from bot.stack import TRAIN_DATA, run_rasa, train  # noqa: F401  (re-exported for tests)


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory) -> Path:
    return train(tmp_path_factory.mktemp("models"), "harbour-test")


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    path = ROOT / "reports"
    path.mkdir(exist_ok=True)
    return path
