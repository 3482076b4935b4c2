"""GraphQL the emulator does not implement, as clients met it.

W&B's clients send documents that are valid against W&B's schema, so when one fails
validation here (an unknown field, argument, type or operation) the emulator has a
hole: the client got an error where W&B would have answered. Such errors are GraphQL
errors already; they are also recorded here, so that a test suite can tell a green
test that ran on behaviour from one that ran on a hole.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


@dataclass
class Unsupported:
    """One validation error of one operation, and how often clients met it."""

    operation: str | None
    message: str
    count: int = 1

    def as_dict(self) -> dict[str, Any]:
        """As JSON: ``operation``, ``message`` and ``count``."""
        return {"operation": self.operation, "message": self.message, "count": self.count}


class UnsupportedOperations:
    """What one app was asked and could not answer; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str | None, str], Unsupported] = {}

    def record(self, operation: str | None, messages: list[str]) -> None:
        """Count the validation errors of one request of ``operation``."""
        with self._lock:
            for message in messages:
                known = self._seen.get((operation, message))
                if known is None:
                    self._seen[(operation, message)] = Unsupported(operation, message)
                else:
                    known.count += 1

    def all(self) -> list[Unsupported]:
        """Everything recorded since the last :meth:`clear`, first met first."""
        with self._lock:
            return [
                Unsupported(item.operation, item.message, item.count)
                for item in self._seen.values()
            ]

    def clear(self) -> None:
        """Forget everything recorded."""
        with self._lock:
            self._seen.clear()
