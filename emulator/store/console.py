"""Console output of runs (``output.log``), one row per terminal line.

The SDK emulates a terminal: a line may be sent again with new text (progress
bars), so each line is kept at its index and a re-sent index overwrites it.
Lines are stored as sent, with the SDK's ``"<ISO ts> "`` / ``"ERROR <ISO ts> "``
prefix; :func:`strip_prefix` gives back what the program printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from emulator.store.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS console (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
) WITHOUT ROWID;
"""
TABLES = ("console",)

_PREFIX = re.compile(r"^(?:ERROR )?\d{4}-\d\d-\d\dT[0-9:.]+Z? ")


def strip_prefix(line: str) -> str:
    """A console line without the SDK's timestamp (and stderr marker) prefix."""
    return _PREFIX.sub("", line, count=1)


class ConsoleStore:
    """Writes and reads the console lines of runs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def write(self, run_id: int, lines: Sequence[str], offset: int) -> None:
        """Store ``lines`` at indexes ``offset, offset+1, …``, overwriting those present."""
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO console (run_id, line, text) VALUES (?, ?, ?)",
                [(run_id, offset + i, text) for i, text in enumerate(lines)],
            )

    def lines(self, run_id: int) -> list[str]:
        """Every stored line of a run as sent (prefix included), in line order."""
        rows = self._db.execute(
            "SELECT text FROM console WHERE run_id = ? ORDER BY line", (run_id,)
        )
        return [row[0] for row in rows]

    def line_count(self, run_id: int) -> int:
        """One past the highest line index stored: where the SDK continues after a resume."""
        return self._db.integer(
            "SELECT COALESCE(MAX(line) + 1, 0) FROM console WHERE run_id = ?", (run_id,)
        )
