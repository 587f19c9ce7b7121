"""Shared fixtures, and the three lanes of the suite.

- tests/unit/: needs no trained model and no running server (`make check`, under a minute);
- tests/model/: needs a trained model (trained once per session into a temporary folder);
- tests/stack/: starts servers (the whole stack, or the web app for the fuzz test);
- tests/security/: replays the security probe's findings, one test per finding (some
  start the stack).
- tests/cluster/: starts the cluster (PostgreSQL, Redis, nginx, several Rasa servers).
Each test is marked with its lane (`pytest -m unit`, `-m model`, `-m stack`); `make test`
runs them all. A unit test that asks for the trained model is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.lean_imports import thinc_without_tensorflow

thinc_without_tensorflow()  # as in every Harbour process: spaCy without TensorFlow

from bot.paths import ROOT  # noqa: E402
from bot.tools.stack import train  # noqa: E402

TESTS = Path(__file__).resolve().parent
LANES = ("unit", "model", "stack", "security", "cluster")


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).resolve().relative_to(TESTS).parts
        lane = parts[0] if parts and parts[0] in LANES else None
        if lane is None:
            continue
        item.add_marker(getattr(pytest.mark, lane))
        if lane == "unit" and "trained_model" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(f"{item.nodeid} needs a trained model: move it to tests/model/")


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory) -> Path:
    # HARBOUR_TEST_MODEL reuses a model trained from this same data (local runs only; CI
    # always trains afresh).
    if os.environ.get("HARBOUR_TEST_MODEL"):
        return Path(os.environ["HARBOUR_TEST_MODEL"])
    return train(tmp_path_factory.mktemp("models"), "harbour-test")


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    path = ROOT / "reports"
    path.mkdir(exist_ok=True)
    return path
