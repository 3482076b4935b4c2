"""Runs read back from the store, built straight from rows, JSON decoded only when used.

A page of 1000 runs holds ~1.3 MB of config, summary and system-metric JSON; a run
listing shows none of it, and decoding it all was half the store's share of a listing.
Building each record through the dataclass constructor cost as much again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from emulator.store import jsontext
from emulator.store.records import Run

#: The JSON document fields :class:`StoredRun` decodes on first read, and the key its
#: ``__dict__`` holds their stored text under until then.
ENCODED_FIELDS = {
    name: f"_encoded_{name}" for name in ("config", "summary_metrics", "system_metrics", "tags")
}


class StoredRun(Run):
    """A :class:`Run` as read from the store: the same record, with ``config``,
    ``summary_metrics``, ``system_metrics`` and ``tags`` decoded from their stored JSON
    when first read (then kept, so in-place changes stick)."""

    @classmethod
    def from_row(cls, attributes: Sequence[str], row: Sequence[Any]) -> StoredRun:
        """A record whose ``attributes`` take the values of ``row``, in order; each JSON
        field's text goes under its :data:`ENCODED_FIELDS` key instead. Any values after
        the last attribute are left out."""
        run = cls.__new__(cls)
        run.__dict__.update(zip(attributes, row, strict=False))
        return run

    def __getattr__(self, name: str) -> Any:
        """Decode a JSON field on first read (only called when ``name`` is not set)."""
        state = self.__dict__
        encoded = state.get(ENCODED_FIELDS.get(name, ""))
        if encoded is None:
            if name in state:  # decoded by another thread since this lookup began
                return state[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = state[name] = jsontext.loads(encoded)
        state.pop(ENCODED_FIELDS[name], None)
        return value

    def __eq__(self, other: object) -> bool:
        """Equal to any :class:`Run` (stored or not) with equal fields."""
        if not isinstance(other, Run):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Run))

    __hash__ = None  # type: ignore[assignment]  # mutable, like Run
