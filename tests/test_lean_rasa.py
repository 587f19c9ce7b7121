"""bot/lean_rasa.py: Rasa without TensorFlow in memory, and the same checks, done once."""
import subprocess
import sys

import pytest
from jsonschema import ValidationError

from bot.lean_rasa import config_uses_tensorflow, install
from bot.paths import ROOT
from bot.stack import rasa_env


def test_rasa_server_modules_load_without_tensorflow():
    code = (
        "import sys, bot.lean_rasa as lean; lean.install();"
        "import rasa.core.run, rasa.core.agent, rasa.graph_components.validators.default_recipe_validator;"
        "import bot.nlu.components, bot.channels, bot.tracker_store;"
        "print('tensorflow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=rasa_env(),
                            capture_output=True, text=True, timeout=300)
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
