"""A maintainer adds an intent with `make intent`: validation fails until it is filled in,
then validation and training pass. Runs on a temporary copy of the project."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.paths import ROOT
from bot.tools.stack import rasa_env

NAME, SECTION = "gaming_chat_safety", "images_sexting"
GAMES = [
    "roblox",
    "fortnite",
    "minecraft",
    "among us",
    "fifa",
    "call of duty",
    "apex",
    "rocket league",
    "valorant",
    "overwatch",
    "genshin",
    "brawl stars",
    "clash royale",
    "animal crossing",
    "gta online",
    "rainbow six",
    "splatoon",
    "pokemon go",
    "sea of thieves",
    "destiny",
]


def run(args, cwd):
    return subprocess.run(args, cwd=cwd, env=rasa_env(PYTHONPATH=str(cwd)), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = tmp_path_factory.mktemp("project")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    for name in files:
        if name.startswith(
            ("bot/", "actions/", "data/", "directory/", "lexicon/", "docs/", "tests/nlu/", "tests/stories/")
        ) or name in ("domain.yml", "config.yml"):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, copy / name)
    return copy


def fill(path: Path, marker_line: str, *replacement: str) -> None:
    """Replaces the scaffold line containing `marker_line` with lines at its indentation."""
    text = path.read_text()
    lines = [l for l in text.splitlines() if "UNFINISHED" in l and marker_line in l]
    assert lines, f"no scaffold line with {marker_line!r} in {path}"
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    path.write_text(text.replace(lines[0], "\n".join(indent + r for r in replacement)))


def test_scaffold_then_fill_then_validate_and_train(project):
    made = run([sys.executable, "-m", "bot.tools.scaffold", NAME, SECTION], project)
    assert made.returncode == 0, made.stderr

    unfinished = run([sys.executable, "-m", "bot.tools.validate"], project)
    assert unfinished.returncode == 1
    for expected in (
        "data/nlu/images_sexting.yml: intent 'gaming_chat_safety' has 1 training examples",
        "tests/nlu/: intent 'gaming_chat_safety' has 1 held-out examples",
        "response 'utter_gaming_chat_safety' has no metadata.sources",
        "unfinished scaffold text",
    ):
        assert expected in unfinished.stdout, unfinished.stdout

    fill(
        project / "data/nlu/images_sexting.yml",
        "write at least 20",
        *(f"- is it safe for my son to chat with strangers on {g}" for g in GAMES),
    )
    fill(
        project / "tests/nlu/test_images_sexting.yml",
        "at least 3 new",
        "- should my daughter turn off voice chat in online games",
        "- how do i make in-game chat safer for my 10 year old",
        "- my kid talks to people he doesn't know while gaming is that ok",
    )
    fill(
        project / "data/responses/images_sexting.yml",
        "what to do now",
        '- text: "Check who your child can chat with in the game settings, and talk about never sharing pictures."',
    )
    fill(
        project / "data/responses/images_sexting.yml",
        "sources: []",
        'sources: ["https://www.childnet.com/young-people/secondary/grooming/how-can-i-tell-if-someone-i-know-is-being-groomed"]',
    )
    fill(project / "data/responses/images_sexting.yml", 'reviewed: "UNFINISHED"', 'reviewed: "2026-11-21"')
    fill(
        project / "tests/stories/test_images_sexting.yml",
        "a real message",
        "is it ok for my son to voice chat with strangers while gaming",
    )
    fill(
        project / "docs/intent_additions.yml",
        "meaning:",
        'meaning: "Is in-game chat with strangers safe for my child?"',
    )

    finished = run([sys.executable, "-m", "bot.tools.validate"], project)
    assert finished.returncode == 0, finished.stdout
    rasa_check = run(
        [
            sys.executable,
            "-m",
            "rasa",
            "data",
            "validate",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--fail-on-warnings",
        ],
        project,
    )
    assert rasa_check.returncode == 0, rasa_check.stdout[-2000:]
    trained = run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            "models",
            "--fixed-model-name",
            "x",
        ],
        project,
    )
    assert trained.returncode == 0 and (project / "models" / "x.tar.gz").exists(), trained.stderr[-2000:]
