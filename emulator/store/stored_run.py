"""Runs read back from the store, whose JSON documents are decoded only when used.

A page of 1000 runs holds ~1.3 MB of config, summary and system-metric JSON; a run
listing shows none of it, and decoding it all was half the store's share of a listing.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from emulator.store.records import Run


class EncodedJSON(str):
    """JSON text as stored, not yet decoded."""


def _decoded_on_access(name: str) -> property:
    def get(run: Run) -> Any:
        value = run.__dict__[name]
        if type(value) is EncodedJSON:
            value = run.__dict__[name] = json.loads(value)
        return value

    def set_(run: Run, value: Any) -> None:
        run.__dict__[name] = value

    return property(get, set_, doc=f"The run's {name}, decoded on first access.")


class StoredRun(Run):
    """A :class:`Run` as read from the store: the same record, with ``config``,
    ``summary_metrics`` and ``system_metrics`` decoded from :class:`EncodedJSON` when
    first read (then kept, so in-place changes stick)."""

    config = _decoded_on_access("config")
    summary_metrics = _decoded_on_access("summary_metrics")
    system_metrics = _decoded_on_access("system_metrics")

    def __eq__(self, other: object) -> bool:
        """Equal to any :class:`Run` (stored or not) with equal fields."""
        if not isinstance(other, Run):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Run))

    __hash__ = None  # type: ignore[assignment]  # mutable, like Run


#: The fields :class:`StoredRun` decodes lazily.
LAZY_FIELDS = ("config", "summary_metrics", "system_metrics")
