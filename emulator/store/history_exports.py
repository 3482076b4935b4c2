"""The parquet files a run's history has been served as: immutable, one per position.

wandb-core caches an exported file under the cache directory by its position in
``parquetUrls`` (``<entity>_<project>_<run>_<i>``), whatever its URL, and reads a cached
file instead of downloading it again. So a file, once served at a position, must never
change: new rows become a further file at the next position. A file holds lines
``[first_line, end_line)`` of the history stream.

When lines that a file already holds are written again (a rewind, a re-sent offset),
no file can be trusted any more: the run is served live from then on (``parquetUrls``
empty), so no reader uses a stale cached file.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from emulator.store.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS history_exports (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    first_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
-- Runs served live for good: their exported lines were rewritten, or could not be exported.
CREATE TABLE IF NOT EXISTS history_exports_live (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE
);
"""
TABLES = ("history_exports", "history_exports_live")


@dataclass(frozen=True)
class ExportedFile:
    """The file at ``position`` of a run: history lines ``[first_line, end_line)``."""

    run_id: int
    position: int
    first_line: int
    end_line: int

    @property
    def blob_key(self) -> str:
        """Where the file's bytes are kept among the blobs."""
        return blob_key(self.run_id, self.position)


def blob_key(run_id: int, position: int) -> str:
    """The blob key of the file at ``position`` of run ``run_id``."""
    return f"history/{int(run_id)}/{int(position)}.parquet"


def lines_rewritten(conn: sqlite3.Connection, run_id: int, offset: int) -> None:
    """Called as history lines from ``offset`` on are overwritten: if a served file holds
    any of them, serve the run live from now on."""
    conn.execute(
        "INSERT OR IGNORE INTO history_exports_live (run_id)"
        " SELECT run_id FROM history_exports WHERE run_id = ? AND end_line > ? LIMIT 1",
        (run_id, offset),
    )


class HistoryExports:
    """Reads and records the files each run's history was served as."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def lock(self, run_id: int) -> threading.Lock:
        """The lock that serializes a run's exports, so two readers never number two files
        for the same lines; exports of different runs go on side by side."""
        with self._locks_guard:
            return self._locks.setdefault(run_id, threading.Lock())

    def files(self, run_id: int) -> list[ExportedFile]:
        """The files served for a run, by position."""
        rows = self._db.execute(
            "SELECT run_id, position, first_line, end_line FROM history_exports"
            " WHERE run_id = ? ORDER BY position",
            (run_id,),
        )
        return [ExportedFile(*row) for row in rows]

    def file(self, run_id: int, position: int) -> ExportedFile | None:
        """The file at ``position`` of a run, or ``None``."""
        row = self._db.one(
            "SELECT run_id, position, first_line, end_line FROM history_exports"
            " WHERE run_id = ? AND position = ?",
            (run_id, position),
        )
        return None if row is None else ExportedFile(*row)

    def add(self, run_id: int, first_line: int, end_line: int) -> ExportedFile:
        """Record the next file of a run, holding lines ``[first_line, end_line)``."""
        with self._db.transaction() as conn:
            position = conn.execute(
                "SELECT COUNT(*) FROM history_exports WHERE run_id = ?", (run_id,)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO history_exports (run_id, position, first_line, end_line)"
                " VALUES (?, ?, ?, ?)",
                (run_id, position, first_line, end_line),
            )
        return ExportedFile(run_id, position, first_line, end_line)

    def is_live(self, run_id: int) -> bool:
        """Whether the run is served live for good."""
        found = self._db.one("SELECT 1 FROM history_exports_live WHERE run_id = ?", (run_id,))
        return found is not None

    def set_live(self, run_id: int) -> None:
        """Serve the run live from now on."""
        self._db.execute(
            "INSERT OR IGNORE INTO history_exports_live (run_id) VALUES (?)", (run_id,)
        )
