"""bot.settings and bot.regions: one source each, and importing them does nothing else."""

import subprocess
import sys

import pytest

from bot import settings
from bot.paths import ROOT
from bot.regions import DEFAULT_REGION, ELSEWHERE, PLACE_CODES, REGION_CODES, UK, UK_NATIONS
from bot.yamlio import load_yaml

NO_SIDE_EFFECTS = """
import os, sys
before_modules, before_finders, before_env = set(sys.modules), list(sys.meta_path), dict(os.environ)
before_files = sorted(os.listdir("."))
import bot.settings, bot.regions
new = sorted(m for m in set(sys.modules) - before_modules if not m.startswith("bot"))
assert sys.meta_path == before_finders, "a finder was added"
assert dict(os.environ) == before_env, "the environment changed"
assert sorted(os.listdir(".")) == before_files, "a file was created"
heavy = [m for m in new if m.split(".")[0] in ("rasa", "spacy", "thinc", "yaml", "sanic", "pydantic", "sqlalchemy")]
assert not heavy, heavy
print("ok")
"""


def test_importing_settings_and_regions_has_no_side_effects(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", NO_SIDE_EFFECTS],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_every_setting_has_one_default_and_reads_its_variable():
    defaults = settings.load({})
    assert defaults == settings.Settings()
    assert (defaults.rasa_port, defaults.retention_days, defaults.db) == (5005, 30.0, "var/harbour.db")
    changed = settings.load({"RASA_PORT": "6000", "RETENTION_DAYS": "7", "HARBOUR_RATE_SESSION": "3"})
    assert (changed.rasa_port, changed.retention_days, changed.rate_session) == (6000, 7.0, 3)
    assert changed.rasa_url == "http://127.0.0.1:6000"
    with pytest.raises(ValueError, match="RASA_PORT"):
        settings.load({"RASA_PORT": "port"})


def test_settings_are_frozen_and_exported_to_the_shell():
    config = settings.load({})
    with pytest.raises(AttributeError):
        config.rasa_port = 1  # type: ignore[misc]
    env = settings.as_environment(config)
    assert env["RETENTION_DAYS"] == "30" and env["RASA_PORT"] == "5005" and env["HARBOUR_DB"] == "var/harbour.db"


def test_region_lists_derive_from_one_list():
    assert PLACE_CODES == REGION_CODES + (ELSEWHERE,)
    assert DEFAULT_REGION == UK and UK in REGION_CODES
    assert UK_NATIONS == ("GB-ENG", "GB-WLS", "GB-SCT", "GB-NIR")


def test_domain_location_slot_lists_every_region():
    slot = load_yaml(ROOT / "domain.yml")["slots"]["location"]
    assert slot["values"] == list(PLACE_CODES)
