"""The request journal: what clients sent to one emulator, newest last, bounded.

Each entry is a JSON object with ``seq`` (1, 2, … since the journal was cleared),
``time`` (ISO 8601, UTC), ``route`` (the route kind), ``method``, ``path``,
``operation`` and ``variables`` (GraphQL), ``entity``/``project``/``run`` (as the
request names them), ``body`` (a summary of a file_stream or upload body, never the
body itself), ``status`` (``null`` when the connection was dropped), ``duration_ms``,
``fault`` (the id of the rule that fired, or ``null``), ``applied`` (false when a fault
answered in the emulator's place: the request, a write included, was refused whole)
``user`` (the API key's user, when known) and ``in_flight`` (true while the
emulator is still handling the request: then ``status`` and ``duration_ms`` are
``null``).

A request is recorded as it arrives, and completed before the last byte of its
answer leaves: a client that got its answer finds the request complete.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from emulator.fault_rules import RequestFacts

#: Entries kept by default; the oldest go first.
DEFAULT_SIZE = 5_000


class JournalRequest(RequestFacts, Protocol):
    """What the journal shows of a request: what rules match on, and more (see
    ``emulator.middleware.classify.RequestInfo``, which the fault layer marks live)."""

    method: str
    path: str
    fault: str | None
    applied: bool


@dataclass(eq=False, slots=True)
class JournalEntry:
    """One request, kept from its arrival (see the module docstring for each field).

    Until :meth:`finish`, ``in_flight`` is true and ``status``/``duration_ms`` are
    ``None``; the fault that fired shows at once.
    """

    seq: int
    time: float
    request: JournalRequest
    status: int | None = None
    duration_ms: float | None = None
    body: dict[str, Any] | None = None
    user: str | None = None
    in_flight: bool = True

    def finish(
        self,
        status: int | None,
        duration_ms: float,
        body: dict[str, Any] | None,
        user: str | None,
    ) -> None:
        """Record how the request ended (``status`` ``None``: the connection was dropped)."""
        self.status, self.duration_ms, self.body, self.user = status, duration_ms, body, user
        self.in_flight = False

    def as_dict(self) -> dict[str, Any]:
        """The entry as a JSON object."""
        request = self.request
        return {
            "seq": self.seq,
            "time": format_time(self.time),
            "route": request.route,
            "method": request.method,
            "path": request.path,
            "operation": request.operation,
            "variables": request.variables,
            "entity": request.entity,
            "project": request.project,
            "run": request.run,
            "body": self.body,
            "status": self.status,
            "duration_ms": None if self.duration_ms is None else round(self.duration_ms, 3),
            "fault": request.fault,
            "applied": request.applied,
            "user": self.user,
            "in_flight": self.in_flight,
        }


def format_time(epoch: float) -> str:
    """``epoch`` as ISO 8601 in UTC with microseconds, like ``2026-01-02T03:04:05.678901Z``."""
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: str | float | datetime) -> float:
    """A ``since`` bound as epoch seconds: a number, a datetime (naive is UTC), or ISO 8601.

    Raises:
        ValueError: naming the value when it is none of these.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    elif isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"'since' must be an ISO 8601 time or epoch seconds, got {value!r}"
            ) from None
    else:
        raise ValueError(f"'since' must be a time, got {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


class Journal:
    """The last ``size`` requests of one app; thread-safe (the server records from its
    event loop while a test reads)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._seq = 0

    @property
    def enabled(self) -> bool:
        """Whether anything is kept (a size of 0 turns the journal off)."""
        return self._entries.maxlen != 0

    def record(self, request: JournalRequest, arrived: float) -> JournalEntry:
        """Keep a new, in-flight entry for ``request`` (dropping the oldest when full)."""
        with self._lock:
            self._seq += 1
            entry = JournalEntry(self._seq, arrived, request)
            self._entries.append(entry)
        return entry

    def clear(self) -> None:
        """Forget every entry; numbering starts over."""
        with self._lock:
            self._entries.clear()
            self._seq = 0

    def entries(
        self,
        *,
        operation: str | None = None,
        route: str | None = None,
        since: float | None = None,
        entity: str | None = None,
        project: str | None = None,
        run: str | None = None,
    ) -> list[JournalEntry]:
        """The entries meeting every filter given, in the order the requests arrived."""
        with self._lock:
            entries: Iterable[JournalEntry] = list(self._entries)
        wanted = {
            "operation": operation,
            "route": route,
            "entity": entity,
            "project": project,
            "run": run,
        }
        checks = [(key, value) for key, value in wanted.items() if value is not None]
        return [
            entry
            for entry in entries
            if all(getattr(entry.request, key) == value for key, value in checks)
            and (since is None or entry.time >= since)
        ]
