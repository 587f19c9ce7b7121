"""`make intent` refuses a bad name, an unknown section or an intent that exists."""

import subprocess
import sys

import pytest

from bot.paths import ROOT


@pytest.mark.parametrize(
    "args,message",
    [
        (["Bad-Name", "images_sexting"], "snake_case"),
        (["new_one", "no_such_section"], "SECTION must be one of"),
        (["sextortion", "images_sexting"], "already exists"),
    ],
)
def test_scaffold_refuses_bad_arguments(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "bot.tools.scaffold", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2 and message in result.stderr
