"""Runs the `rasa` command leaner: no TensorFlow in memory, less work per message.

- Rasa 3.6 imports TensorFlow (about 250 MB and several seconds) as a side effect of
  `rasa.utils.train_utils` and its recipe validator, although Harbour's pipeline (count
  vectors, logistic regression, rule and memoization policies) never calls it. The
  TensorFlow-only modules imported for their names alone get stand-ins: each name is a
  placeholder that imports the real module the first time it is used.
- Three things Rasa redoes for every message are done once: compiling the schema that
  checks action server replies, finding each event's class, and deriving the sub-graph
  to run (the small graphs then run directly instead of through dask). And the loaded
  model is frozen out of the garbage collector's reach.

Behaviour is unchanged: the whole test suite runs through this launcher. When the config
names a TensorFlow component (DIET, TED, ...), it runs plain Rasa instead.

    python -m bot.lean_rasa run --model ...      # same arguments as `rasa`
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import re
import sys
import types
from typing import Any, Dict, Optional, Text

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


def _validate_action_result_once_compiled() -> None:
    """Rasa checks every action server reply with `jsonschema.validate`, which first
    re-checks the schema itself against JSON Schema's meta-schema: about 40% of the time
    Rasa spent on a message with a custom action. Same check, schema compiled once."""
    from jsonschema import validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    compiled: list = []

    def validate(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        if not compiled:
            schema = self.action_response_format_spec()
            checker = validators.validator_for(schema)
            checker.check_schema(schema)
            compiled.append(checker(schema))
        error = best_match(compiled[0].iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, make sure your "
                f"response from the Action endpoint is valid. For more information about "
                f"the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = validate


def _resolve_event_types_once() -> None:
    """Rasa finds an event's class by walking every Event subclass, for each event it
    reads back from the tracker store. Remember each answer instead."""
    from rasa.shared.core.events import Event

    walk = Event.resolve_by_type
    known: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        found = known.get(type_name)
        if found is None:
            found = walk(type_name, default)
            if found is not None and found is not default:
                known[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)


def _run_graphs_in_process() -> None:
    """Rasa runs its NLU and policy graphs through dask's scheduler several times per
    message, re-deriving the same sub-graph each time. Harbour's graphs are small chains:
    derive each sub-graph once, then call its nodes directly (each node still receives
    its inputs as dask would pass them)."""
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
            targets: Optional[list] = None) -> Dict[Text, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        plans = self.__dict__.setdefault("_harbour_plans", {})
        plan = plans.get(tuple(run_targets))
        if plan is None:
            plan = plans[tuple(run_targets)] = self._build_dask_graph(
                self._graph_schema.minimal_graph_schema(run_targets))
        graph = dict(plan)
        if inputs:
            self._add_inputs_to_graph(inputs, graph)
        done: Dict[Text, Any] = {}

        def value(name: Text) -> Any:
            if name not in done:
                task = graph[name]
                if callable(task[0]):  # a node and the names of the nodes it needs
                    done[name] = task[0](*(value(need) for need in task[1:]))
                else:  # an input: (name, value), passed on as it is
                    done[name] = task
            return done[name]

        try:
            return dict(value(target) for target in run_targets)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    DaskGraphRunner.run = run


def _freeze_the_loaded_model() -> None:
    """Once the model is loaded, move everything alive into the garbage collector's
    permanent generation: its full collections then stop re-scanning the model, the
    domain and Rasa's modules, which cost about 2 ms of every message."""
    import gc

    import rasa.core.run

    load = rasa.core.run.load_agent_on_start

    async def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return agent

    rasa.core.run.load_agent_on_start = load_then_freeze


def install() -> None:
    """Deferred stand-ins for Rasa's TensorFlow-only modules, and per-message work done
    once. Importing `bot` (top of this module) already kept thinc from loading TensorFlow."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
        _validate_action_result_once_compiled()
        _resolve_event_types_once()
        _run_graphs_in_process()
        _freeze_the_loaded_model()


# Components that need TensorFlow: with any of them in the config, run plain Rasa.
TENSORFLOW_COMPONENTS = ("DIETClassifier", "TEDPolicy", "UnexpecTEDIntentPolicy", "ResponseSelector",
                         "ConveRTFeaturizer", "LanguageModelFeaturizer")


def config_uses_tensorflow(argv: list) -> bool:
    config = argv[argv.index("--config") + 1] if "--config" in argv[:-1] else "config.yml"
    try:
        text = open(config, encoding="utf-8").read()
    except OSError:
        return False
    return any(re.search(rf"^\s*-\s*name:\s*[\"']?{name}\b", text, re.M) for name in TENSORFLOW_COMPONENTS)


def main() -> None:
    if not config_uses_tensorflow(sys.argv[1:]):
        install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
