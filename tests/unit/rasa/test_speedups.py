"""bot/rasa/launcher.py and bot/rasa/speedups/: Rasa without TensorFlow in memory, and the
same checks, done once, on the Rasa version they were written for."""

import subprocess
import sys

import pytest
from jsonschema import ValidationError

from bot.paths import ROOT
from bot.rasa.launcher import config_uses_tensorflow
from bot.rasa.speedups import install
from bot.tools.stack import rasa_env


def test_rasa_server_modules_load_without_tensorflow():
    code = (
        "import sys, bot.lean_imports as lean, bot.rasa.speedups as speedups;"
        "lean.thinc_without_tensorflow(); speedups.install();"
        "import rasa.core.run, rasa.core.agent, rasa.graph_components.validators.default_recipe_validator;"
        "import bot.nlu.components, bot.rasa.channel, bot.rasa.tracker_store;"
        "print('tensorflow' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_tensorflow_config_runs_plain_rasa(tmp_path):
    assert config_uses_tensorflow(["train", "--config", str(ROOT / "bench" / "stock_config.yml")])
    assert not config_uses_tensorflow(["train", "--config", str(ROOT / "config.yml")])
    commented = tmp_path / "config.yml"
    commented.write_text("pipeline:\n#  - name: DIETClassifier\n  - name: WhitespaceTokenizer\n")
    assert not config_uses_tensorflow(["train", "--config", str(commented)])


@pytest.fixture
def remote_action():
    install()
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    return RemoteAction("action_recommend_support", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_action_replies_are_still_validated(remote_action):
    assert remote_action._validate_action_result({"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"events": [{"event": "slot"}], "responses": "not a list"})


def test_event_classes_resolve_as_before():
    install()
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")


def test_patches_apply_only_on_the_rasa_version_they_were_written_for(monkeypatch, caplog):
    from bot.rasa import speedups

    assert speedups.RASA_VERSION == speedups.installed_rasa()
    speedups.supported.cache_clear()
    monkeypatch.setattr(speedups, "installed_rasa", lambda: "9.9.9")
    try:
        with caplog.at_level("WARNING", logger="bot.rasa.speedups"):
            assert speedups.install() is False
        assert "running stock Rasa" in caplog.text and "9.9.9" in caplog.text
    finally:
        speedups.supported.cache_clear()


def test_every_patched_name_exists_in_the_installed_rasa():
    import importlib

    from bot.rasa.speedups import PATCHED

    for entry in PATCHED:
        name = entry.split(" ")[0]
        if entry.endswith("(module)"):
            assert importlib.util.find_spec(name) is not None, name
            continue
        module, _, attribute = name.rpartition(".")
        module, _, owner = module.rpartition(".") if module.split(".")[-1][:1].isupper() else (module, "", "")
        target = getattr(importlib.import_module(module), owner) if owner else importlib.import_module(module)
        if attribute in (
            "engine",
            "sessionmaker",
            "_graph_schema",
            "_on_tracker_store_error",
            "red",
            "key_prefix",
        ):  # set in __init__
            import inspect

            assert f"self.{attribute}" in inspect.getsource(target.__init__), name
        else:
            assert hasattr(target, attribute), name
