"""Keeps spaCy's thinc from importing TensorFlow, which Rasa installs and thinc loads on
start-up (about 250 MB and several seconds per process) just to offer wrappers Harbour
never uses. Rasa can still import TensorFlow itself later.

Called, before spaCy is imported, by the Rasa launcher (bot/rasa/launcher.py), by the
redaction used in the web app (bot/privacy/redact.py) and by the test suite's conftest.
"""

from __future__ import annotations

import importlib.abc
import sys


class _HideTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname == "tensorflow" or fullname.startswith("tensorflow."):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def thinc_without_tensorflow() -> None:
    if "thinc.compat" in sys.modules or "tensorflow" in sys.modules:
        return
    hide = _HideTensorFlow()
    sys.meta_path.insert(0, hide)
    try:
        import thinc.compat  # noqa: F401
    except ImportError:
        pass
    finally:
        sys.meta_path.remove(hide)
