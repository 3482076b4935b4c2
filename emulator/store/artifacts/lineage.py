"""Which runs logged and used which artifact versions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from emulator.store.artifacts.records import Artifact
from emulator.store.database import Database
from emulator.store.timestamps import utc_now

#: Directions of a lineage edge: a run's inputs (used) and outputs (logged).
INPUT, OUTPUT = "input", "output"


def link(
    conn: sqlite3.Connection,
    run_id: int,
    artifact_id: int,
    direction: str,
    used_as: str | None = None,
) -> None:
    """Record an edge between a run and a version (once)."""
    conn.execute(
        "INSERT OR IGNORE INTO artifact_lineage"
        " (run_id, artifact_id, direction, used_as, created_at) VALUES (?, ?, ?, ?, ?)",
        (run_id, artifact_id, direction, used_as, utc_now()),
    )


class ArtifactLineage:
    """Reads and writes the edges between runs and committed versions."""

    def __init__(self, db: Database, select: str, record: Callable[[sqlite3.Row], Artifact]):
        """``select`` is the version query (aliasing ``artifacts a``), ``record`` its reader."""
        self._db = db
        self._select = select.replace(
            "FROM artifacts a", "FROM artifact_lineage l JOIN artifacts a ON a.id = l.artifact_id"
        )
        self._record = record

    def _linked(self, run_id: int, direction: str) -> list[Artifact]:
        rows = self._db.execute(
            self._select + " WHERE l.run_id = ? AND l.direction = ? AND a.state = 'COMMITTED'"
            " ORDER BY l.rowid",
            (run_id, direction),
        )
        return [self._record(row) for row in rows]

    def logged_by_run(self, run_id: int) -> list[Artifact]:
        """The committed versions a run logged (or declared as its output), in that order."""
        return self._linked(run_id, OUTPUT)

    def used_by_run(self, run_id: int) -> list[Artifact]:
        """The versions a run used, in the order it first used them."""
        return self._linked(run_id, INPUT)

    def users(self, artifact_id: int) -> list[int]:
        """Storage ids of the runs that used a version, in the order they used it."""
        rows = self._db.execute(
            "SELECT run_id FROM artifact_lineage WHERE artifact_id = ? AND direction = ?"
            " ORDER BY rowid",
            (artifact_id, INPUT),
        )
        return [row[0] for row in rows]

    def use(self, run_id: int, artifact: Artifact, used_as: str | None = None) -> None:
        """Record that a run used a committed version (again: no change)."""
        with self._db.transaction() as conn:
            link(conn, run_id, artifact.id, INPUT, used_as)
