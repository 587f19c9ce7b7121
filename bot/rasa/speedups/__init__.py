"""Harbour's speed patches to Rasa's private code, and the guard that keeps them honest.

Each patch does work Rasa repeats for every message once, or keeps TensorFlow out of
memory; behaviour is unchanged (tests/unit/rasa/, tests/model/test_graph_runner.py).
They touch private Rasa names, which can change in any release, so they apply only on
the Rasa version they were written and tested for. On any other version `install()`
logs plainly that it runs stock Rasa, and the tracker store and safety net fall back to
Rasa's own behaviour (`supported()`).

Every private name touched, in one list (PATCHED), so an upgrade knows what to re-check.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import metadata

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
PATCHED = (
    # bot/rasa/speedups/tensorflow.py: stand-ins for these modules until first use
    "rasa.utils.tensorflow.callback (module)",
    "rasa.utils.tensorflow.data_generator (module)",
    "rasa.nlu.classifiers.diet_classifier (module)",
    "rasa.nlu.selectors.response_selector (module)",
    "rasa.core.policies.ted_policy (module)",
    # bot/rasa/speedups/action_schema.py
    "rasa.core.actions.action.RemoteAction._validate_action_result",
    # bot/rasa/speedups/event_types.py
    "rasa.shared.core.events.Event.resolve_by_type",
    # bot/rasa/speedups/graph_runner.py
    "rasa.engine.runner.dask.DaskGraphRunner.run",
    "rasa.engine.runner.dask.DaskGraphRunner._graph_schema",
    "rasa.engine.runner.dask.DaskGraphRunner._build_dask_graph",
    "rasa.engine.runner.dask.DaskGraphRunner._add_inputs_to_graph",
    # bot/rasa/speedups/gc_freeze.py (works because rasa.core.run looks the name up when called)
    "rasa.core.run.load_agent_on_start",
    # bot/rasa/tracker_store.py (SQLTrackerStore.save and _retrieve are re-implemented)
    "rasa.core.tracker_store.SQLTrackerStore.engine",
    "rasa.core.tracker_store.SQLTrackerStore.sessionmaker",
    "rasa.core.tracker_store.SQLTrackerStore.SQLEvent",
    "rasa.core.tracker_store.SQLTrackerStore._event_query",
    "rasa.core.tracker_store.SQLTrackerStore._retrieve",
    "rasa.core.tracker_store.SQLTrackerStore._additional_events",
    # bot/rasa/lock_store.py (LockStore.lock re-implemented on Rasa's TicketLock JSON format)
    "rasa.core.lock_store.RedisLockStore.red",
    "rasa.core.lock_store.RedisLockStore.key_prefix",
    "rasa.core.lock.TicketLock (its JSON in Redis)",
    # bot/rasa/safety_net.py
    "rasa.core.tracker_store.FailSafeTrackerStore._on_tracker_store_error",
)


def installed_rasa() -> str:
    try:
        return metadata.version("rasa")
    except metadata.PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def supported() -> bool:
    """True on the Rasa version the patches were written for; logs once when not."""
    found = installed_rasa()
    if found == RASA_VERSION:
        return True
    logger.warning(
        "Harbour's Rasa speed patches were written for rasa %s, but rasa %s is installed: "
        "running stock Rasa code instead (slower, same answers). Re-check the private names "
        "in bot/rasa/speedups/__init__.py PATCHED, then update RASA_VERSION.",
        RASA_VERSION,
        found,
    )
    return False


def install() -> bool:
    """Applies every patch once (on the supported Rasa version); True when applied.
    Must run before Rasa is imported, for the TensorFlow stand-ins to take effect."""
    from bot.rasa.speedups import action_schema, event_types, gc_freeze, graph_runner, tensorflow

    if not supported():
        return False
    if tensorflow.apply():
        action_schema.apply()
        event_types.apply()
        graph_runner.apply()
        gc_freeze.apply()
    return True


__all__ = ["PATCHED", "RASA_VERSION", "install", "supported"]
