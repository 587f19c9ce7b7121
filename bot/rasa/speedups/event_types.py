"""Finds each event's class once.

Rasa finds an event's class by walking every Event subclass, for each event it reads
back from the tracker store. Remember each answer instead.
"""

from __future__ import annotations

from typing import Any, Dict, Text


def apply() -> None:
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
