"""Harbour's own code: NLU components, the REST channel, the web app and maintainer tools.

Importing any of it first stops spaCy's thinc from importing TensorFlow, which Rasa
installs and thinc loads on start-up (about 250 MB and several seconds per process) just
to offer wrappers Harbour never uses. Rasa can still import TensorFlow itself later.
"""
import importlib.abc
import sys


class _HideTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname == "tensorflow" or fullname.startswith("tensorflow."):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def _thinc_without_tensorflow() -> None:
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


_thinc_without_tensorflow()
