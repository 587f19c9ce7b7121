"""Every dotted path Rasa imports from config.yml, endpoints.yml and credentials.yml
resolves: a moved module would otherwise break only when the server starts."""

import pytest
from rasa.shared.utils.common import class_from_module_path

from bot.paths import ROOT
from bot.yamlio import load_yaml


def dotted_paths():
    config = load_yaml(ROOT / "config.yml")
    found = [c["name"] for c in (config.get("pipeline") or []) + (config.get("policies") or [])]
    for endpoint in load_yaml(ROOT / "endpoints.yml").values():
        if isinstance(endpoint, dict) and endpoint.get("type"):
            found.append(endpoint["type"])
    found += list(load_yaml(ROOT / "credentials.yml"))
    return sorted({name for name in found if "." in name})


def test_there_are_dotted_paths_to_check():
    paths = dotted_paths()
    assert "bot.rasa.channel.HarbourRestInput" in paths
    assert "bot.rasa.tracker_store.HarbourSQLTrackerStore" in paths
    assert any(p.startswith("bot.nlu.components.") for p in paths)


@pytest.mark.parametrize("path", dotted_paths())
def test_dotted_path_imports(path):
    assert class_from_module_path(path) is not None
