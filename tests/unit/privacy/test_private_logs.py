"""No message text, tracker dump or exception detail in a log line (bot/privacy/private_logs.py)."""

import json
import logging
import subprocess
import sys

from bot.paths import ROOT
from bot.privacy.private_logs import WITHHELD, scrub, scrub_record

SECRET = "my daughter is hiding at the old boathouse with a man called Viktor"
TRACKER = json.dumps({"tracker": {"events": [{"event": "user", "text": SECRET}], "slots": {"location": "GB-SCT"}}})


def _record(msg, *args, exc=None):
    return logging.LogRecord("rasa.core.processor", logging.ERROR, __file__, 1, msg, args, exc)


def test_an_action_failure_does_not_dump_the_tracker():
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import ClientResponseError

    try:
        try:
            raise ClientResponseError(500, "Internal Server Error", TRACKER)
        except ClientResponseError as error:
            raise RasaException(f"Failed to run custom action 'x'. Error: {error}") from error
    except RasaException as error:
        record = scrub_record(_record("Encountered an exception while running action", exc=(type(error), error, None)))
    line = logging.Formatter("%(message)s").format(record)
    assert SECRET not in line and "GB-SCT" not in line
    assert "RasaException" in line and "ClientResponseError 500" in line  # still says what failed
    assert WITHHELD in line


def test_rasa_sdk_request_body_is_withheld():
    line = scrub(str({"error": "'dict' object has no attribute 'startswith'", "request_body": json.loads(TRACKER)}))
    assert SECRET not in line


def test_could_not_parse_warning_does_not_quote_the_message():
    for text in [
        f"Failed to parse arguments in line '/greet {SECRET}'. Failed to decode value as JSON.",
        # the intent Rasa "found" is the start of the message itself
        f"Failed to parse arguments in line '/greet {SECRET}'. Expected the intent to be one of "
        f"[['affirm', 'greet']] but found greet {SECRET}.Continuing with given line as user text.",
        f"Failed to parse arguments in line '/greet{{\"it's\": 1}} {SECRET}'. Continuing without {SECRET}.",
    ]:
        assert SECRET not in scrub(text) and "Failed to parse arguments" in scrub(text)


def test_sql_parameters_are_withheld():
    text = f"(sqlite3.OperationalError) database is locked [SQL: INSERT INTO events] [parameters: ('{SECRET}',)]"
    assert SECRET not in scrub(text) and "database is locked" in scrub(text)


def test_ordinary_log_lines_are_kept():
    for line in [
        "Starting Rasa server on http://127.0.0.1:5005",
        "Loading model '/work/models/harbour.tar.gz'...",
        "Rasa unreachable: Cannot connect to host 127.0.0.1:5005",
    ]:
        assert scrub(line) == line


def test_installed_in_a_process_every_logger_and_warning_is_private():
    script = f"""
import logging, warnings
from bot.privacy import private_logs
private_logs.install()
logging.basicConfig(level=logging.INFO)
from rasa.shared.utils.io import raise_warning
raise_warning("Failed to parse arguments in line '/greet {SECRET}'. Failed to decode value as JSON.")
try:
    raise ValueError({SECRET!r})
except ValueError:
    logging.getLogger("rasa_sdk.endpoint").exception("Exception occurred during execution of request")
logging.getLogger("sanic.error").error("body=%s", {TRACKER!r})
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert "Failed to parse arguments" in output and "ValueError" in output
    assert SECRET not in output and "Viktor" not in output
