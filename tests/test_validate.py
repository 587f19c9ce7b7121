"""Rasa's own data validation passes with warnings treated as errors."""
from bot.stack import TRAIN_DATA, run_rasa


def test_rasa_data_validate_passes_with_no_warnings():
    result = run_rasa(
        "data", "validate", "--config", "config.yml", "--domain", "domain.yml",
        "--data", *TRAIN_DATA, "--fail-on-warnings", "--max-history", "5",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
