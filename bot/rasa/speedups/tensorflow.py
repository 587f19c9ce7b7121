"""Stand-ins for Rasa's TensorFlow-only modules, loaded only when a component uses them.

Rasa 3.6 imports TensorFlow (about 250 MB and several seconds) as a side effect of
`rasa.utils.train_utils` and its recipe validator, although Harbour's pipeline (count
vectors, logistic regression, rule policy) never calls it. The modules imported for
their names alone get stand-ins: each name is a placeholder that imports the real module
the first time it is used, and `class X(Placeholder)` subclasses the real class.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any, Optional

# rasa.utils.train_utils imports the first two for training helpers; Rasa's recipe
# validator imports the TensorFlow components to compare them with the configured ones.
DEFERRED = (
    "rasa.utils.tensorflow.callback",
    "rasa.utils.tensorflow.data_generator",
    "rasa.nlu.classifiers.diet_classifier",
    "rasa.nlu.selectors.response_selector",
    "rasa.core.policies.ted_policy",
)


class _Deferred:
    """Stands in for one name of a deferred module until it is really used."""

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name
        self.__name__ = self.__qualname__ = name  # read in Rasa's config warnings

    def _real(self) -> Any:
        return getattr(_load(self._module), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # typing and inspection probe these; not a use
            raise AttributeError(attribute)
        return getattr(self._real(), attribute)

    def __mro_entries__(self, bases: tuple) -> tuple:  # `class X(Placeholder)` subclasses the real one
        return (self._real(),)


def _load(module: str) -> types.ModuleType:
    stand_in = sys.modules.get(module)
    if getattr(stand_in, "__harbour_deferred__", False):
        del sys.modules[module]
        _Finder.loading.add(module)
        try:
            real = importlib.import_module(module)
        finally:
            _Finder.loading.discard(module)
        parent, _, child = module.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, real)
        return real
    return stand_in or importlib.import_module(module)


class _StandIn(types.ModuleType):
    __harbour_deferred__ = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Deferred(self.__name__, name)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    loading: set = set()

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname in DEFERRED and fullname not in self.loading:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _StandIn(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def apply() -> bool:
    """Puts the finder first on sys.meta_path; False when it was already there."""
    if any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return False
    sys.meta_path.insert(0, _Finder())
    return True
