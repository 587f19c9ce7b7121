"""The project's own validator names the file and the intent for each kind of problem."""

import shutil
import subprocess

import pytest
import yaml

from bot.paths import ROOT
from bot.tools.validate import check

COPY_ITEMS = ["domain.yml", "config.yml", "data", "directory", "lexicon", "docs", "tests/nlu", "tests/stories"]


@pytest.fixture
def project(tmp_path):
    for item in COPY_ITEMS:
        source, target = ROOT / item, tmp_path / item
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return tmp_path


def test_shipped_project_passes():
    assert check() == []


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_example_under_two_intents_is_named(project):
    path = project / "data" / "nlu" / "conversation.yml"
    _edit(path, lambda d: d["nlu"][0].update(examples=d["nlu"][0]["examples"] + "- goodbye\n"))
    assert any("example 'goodbye' appears under" in p and "'greet'" in p for p in check(project))


def test_response_without_sources_is_named(project):
    path = project / "data" / "responses" / "consent_relationships.yml"
    _edit(path, lambda d: d["responses"]["utter_pornography"][0]["metadata"].pop("sources"))
    assert "data/responses/consent_relationships.yml: response 'utter_pornography' has no metadata.sources" in check(
        project
    )


def test_intent_outside_the_contract_is_named(project):
    _edit(project / "domain.yml", lambda d: d["intents"].append("ask_weather"))
    problems = check(project)
    assert "domain.yml: intent 'ask_weather' is not in docs/topics.md or docs/intent_additions.yml" in problems
    assert any("intent 'ask_weather' has no rule or story" in p for p in problems)
    assert any("intent 'ask_weather' has no end-to-end test story" in p for p in problems)


def test_held_out_example_copied_into_training_is_named(project):
    held = yaml.safe_load((project / "tests" / "nlu" / "test_conversation.yml").read_text())
    leaked = held["nlu"][0]["examples"].splitlines()[0][2:]
    path = project / "data" / "nlu" / "conversation.yml"
    _edit(path, lambda d: d["nlu"][0].update(examples=d["nlu"][0]["examples"] + f"- {leaked}\n"))
    assert any(f"held-out example '{leaked}' is also training data" in p for p in check(project))


def test_validate_command_exits_non_zero_with_problems(project):
    _edit(project / "domain.yml", lambda d: d["intents"].append("ask_weather"))
    result = subprocess.run(
        [
            "python",
            "-c",
            f"import sys; from pathlib import Path; from bot.tools.validate import check; "
            f"p = check(Path({str(project)!r})); print(len(p)); sys.exit(1 if p else 0)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
