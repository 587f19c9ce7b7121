"""The tracker store's side of insight: remembers a save's new events, then adds their
counts in a short transaction of its own once the conversation is stored.

A failure here is logged and swallowed: counting must never cost a parent an answer.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Iterable, Iterator, List

import sqlalchemy as sa

from bot.insight import store
from bot.insight.record import turn_counts

logger = logging.getLogger(__name__)


class InsightRecorder:
    def __init__(self, engine: sa.engine.Engine, schools: Dict[str, Any] = None) -> None:
        self.engine = engine
        self._pending: Dict[str, List] = {}
        if schools is None:
            from bot.services.schools import load_schools

            try:
                schools = load_schools()
            except Exception:  # a broken schools file stops the action server, not Rasa's store
                logger.exception("insight: schools could not be read; counting without schools")
                schools = {}
        self.schools = schools
        try:
            store.ensure(engine)
        except sa.exc.SQLAlchemyError:
            logger.exception("insight: the counts table could not be created")

    def seen(self, tracker, events: Iterable) -> Iterator:
        """Passes the events on, keeping a list of them for `record`."""
        new = list(events)
        self._pending[tracker.sender_id] = new
        return iter(new)

    def record(self, tracker) -> None:
        new = self._pending.pop(tracker.sender_id, None)
        if not new:
            return
        try:
            counts = turn_counts(tracker, new, self.schools)
            if counts:
                with self.engine.begin() as connection:
                    store.add(connection, counts)
        except Exception:  # noqa: BLE001 - see the module docstring
            logger.exception("insight: counts for one turn were not recorded")
