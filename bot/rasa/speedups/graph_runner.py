"""Runs Rasa's small NLU and policy graphs in-process instead of through dask.

Rasa runs its graphs through dask's scheduler several times per message, re-deriving the
same sub-graph each time. Harbour's graphs are small chains: derive each sub-graph once,
then call its nodes directly (each node still receives its inputs as dask would pass
them). tests/model/test_graph_runner.py checks every held-out message parses exactly as
with Rasa's own runner.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Text

# Rasa's own DaskGraphRunner.run, kept when the patch is applied (for the equality test).
STOCK: Dict[str, Callable] = {}


def run_in_process(
    self: Any, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[list] = None
) -> Dict[Text, Any]:
    from rasa.engine.exceptions import GraphRunError

    run_targets = targets if targets else self._graph_schema.target_names
    plans = self.__dict__.setdefault("_harbour_plans", {})
    plan = plans.get(tuple(run_targets))
    if plan is None:
        plan = plans[tuple(run_targets)] = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
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


def stock_run() -> Callable:
    """Rasa's own DaskGraphRunner.run, whether or not the patch is applied."""
    from rasa.engine.runner.dask import DaskGraphRunner

    return STOCK.get("run", DaskGraphRunner.run)


def apply() -> None:
    from rasa.engine.runner.dask import DaskGraphRunner

    if DaskGraphRunner.run is not run_in_process:
        STOCK["run"] = DaskGraphRunner.run
        DaskGraphRunner.run = run_in_process
