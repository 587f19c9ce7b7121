"""End-to-end test stories: real parent text in, the right answers out, for every topic."""

from bot.paths import ROOT
from bot.tools.stack import run_rasa

STORIES = ROOT / "tests" / "stories"


def test_e2e_stories_pass(trained_model, tmp_path):
    result = run_rasa(
        "test",
        "core",
        "--model",
        str(trained_model),
        "--stories",
        str(STORIES),
        "--e2e",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
