"""Nothing a parent wrote reaches a log line: message text, tracker dumps and exception
details are withheld from every log record and warning, in every Harbour process.

Logs are not covered by the retention purge, so they must never hold a conversation.
Installed first thing by the Rasa launcher (bot/rasa/launcher.py), the action server
(bot/rasa/rasa_sdk_server.py) and the web app (bot/web/__main__.py):

- every log record is rewritten when it is created (a log-record factory, so it applies
  to every logger and handler, Rasa's and Sanic's included): Rasa's action-failure dump
  (`body='{... the whole tracker ...}'`), rasa_sdk's `request_body`, SQL parameters and
  long quoted text are replaced with WITHHELD;
- an exception attached to a record (`logger.exception`) is reduced to its types and the
  file and line where it was raised: exception messages can quote slot values or text;
- Python warnings (Rasa's "Failed to parse arguments in line '/greet ...'" quotes the
  whole message) are printed through the same rewriting.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
import warnings
from typing import Any, List, Optional

WITHHELD = "[withheld from the log]"
_RULES = [
    # rasa.utils.endpoints.ClientResponseError: "500, Internal Server Error, body='{...}'"
    (re.compile(r"body=(['\"]).*", re.S), f"body={WITHHELD}"),
    (re.compile(r"['\"]?request_body['\"]?\s*[:=].*", re.S), f"request_body={WITHHELD}"),
    # rasa.shared...story_reader: "Failed to parse arguments in line '/greet ...'. Expected
    # the intent to be one of [...] but found greet ...": every part after the first may
    # quote the message, so only the first words are kept.
    (re.compile(r"(Failed to parse arguments in line ).*", re.S), rf"\1{WITHHELD} (a typed /intent message)"),
    (re.compile(r"(\bin line )(['\"]).*?\2(?=\.\s|\.?$|\s)", re.S), rf"\1{WITHHELD}"),
    (re.compile(r"(\bin line )(['\"]).*", re.S), rf"\1{WITHHELD}"),
    # SQLAlchemy errors quote the statement's parameters: the events being saved
    (re.compile(r"\[parameters: .*?\](?=\s|$)", re.S), f"[parameters: {WITHHELD}]"),
    (re.compile(r"\[parameters: .*", re.S), f"[parameters: {WITHHELD}]"),
    # Anything else quoted at length that is not a file path: text, JSON, a tracker.
    (re.compile(r"'(?![/.~]|[A-Za-z]:\\)[^'\n]{60,}'"), f"'{WITHHELD}'"),
    (re.compile(r"\"(?![/.~]|[A-Za-z]:\\)[^\"\n]{60,}\""), f'"{WITHHELD}"'),
    (re.compile(r"\{['\"][^\n]{200,}"), WITHHELD),  # a dict or JSON dump
]
_installed = False


def scrub(text: str) -> str:
    """The text with anything that may be a parent's words replaced by WITHHELD."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def describe(error: Optional[BaseException]) -> str:
    """An exception's types and where it was raised, without its message."""
    parts: List[str] = []
    seen = set()
    while error is not None and id(error) not in seen and len(parts) < 5:
        seen.add(id(error))
        name = type(error).__name__
        status = getattr(error, "status", None)
        if isinstance(status, int):
            name += f" {status}"
        frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
        if frames:
            name += f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno} in {frames[-1].name}"
        parts.append(name)
        error = error.__cause__ or error.__context__
    return " <- ".join(parts)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: keep only its template
        message = str(record.msg)
    if record.exc_info and record.exc_info[1] is not None:
        message += f" ({describe(record.exc_info[1])}; details {WITHHELD})"
    record.msg, record.args = scrub(message), None
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    return record


def _show_warning(message: Any, category: type, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
    stream = file or sys.stderr
    try:
        stream.write(f"{category.__name__}: {scrub(str(message))} ({filename.rsplit('/', 1)[-1]}:{lineno})\n")
    except (OSError, ValueError):
        pass


def install() -> None:
    """Rewrites every log record and warning of this process (idempotent)."""
    global _installed
    if _installed:
        return
    create = logging.getLogRecordFactory()

    def private_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(create(*args, **kwargs))

    logging.setLogRecordFactory(private_record)
    warnings.showwarning = _show_warning
    _installed = True
