"""How logged runs end: exit codes, stop requests, reported uploads, crash detection.

W&B ends a run only through file_stream's ``complete`` flag; a ``running`` run
whose process died simply stops sending heartbeats. :meth:`LifecycleStore.crash_stale`
turns such runs into ``crashed`` ones, and is cheap enough to call before every
read (a partial index covers the running runs).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from emulator.store.database import Database
from emulator.store.timestamps import format_timestamp

SCHEMA = """
CREATE TABLE IF NOT EXISTS run_status (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    exit_code INTEGER,
    stop_requested INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS uploaded_files (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS runs_running ON runs (heartbeat_at) WHERE state = 'running';
"""
TABLES = ("run_status", "uploaded_files")


class LifecycleStore:
    """Reads and writes what file_stream reports about the end of runs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def set_exit_code(self, run_id: int, exit_code: int | None) -> None:
        """Record the exit code the run's process reported when it completed."""
        self._db.execute(
            "INSERT INTO run_status (run_id, exit_code) VALUES (?, ?)"
            " ON CONFLICT (run_id) DO UPDATE SET exit_code = excluded.exit_code",
            (run_id, exit_code),
        )

    def exit_code(self, run_id: int) -> int | None:
        """The reported exit code, or ``None`` while the run has not completed."""
        row = self._db.one("SELECT exit_code FROM run_status WHERE run_id = ?", (run_id,))
        return None if row is None else row[0]

    def request_stop(self, run_id: int) -> None:
        """Ask the run to stop: its next file_stream answer says ``stopped``."""
        self._db.execute(
            "INSERT INTO run_status (run_id, stop_requested) VALUES (?, 1)"
            " ON CONFLICT (run_id) DO UPDATE SET stop_requested = 1",
            (run_id,),
        )

    def stop_requested(self, run_id: int) -> bool:
        """Whether :meth:`request_stop` was called for the run."""
        row = self._db.one("SELECT stop_requested FROM run_status WHERE run_id = ?", (run_id,))
        return bool(row and row[0])

    def record_uploaded(self, run_id: int, names: Iterable[str]) -> None:
        """Remember the run files the SDK reported as uploaded."""
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO uploaded_files (run_id, name) VALUES (?, ?)",
                [(run_id, name) for name in names],
            )

    def uploaded(self, run_id: int) -> list[str]:
        """Names of the run files reported as uploaded, sorted."""
        rows = self._db.execute(
            "SELECT name FROM uploaded_files WHERE run_id = ? ORDER BY name", (run_id,)
        )
        return [row[0] for row in rows]

    def crash_stale(self, timeout_s: float, *, now: datetime | None = None) -> int:
        """Mark ``crashed`` every ``running`` run whose last heartbeat is older than
        ``timeout_s`` seconds before ``now``; returns how many changed."""
        moment = now or datetime.now(timezone.utc)
        cutoff = format_timestamp(moment - timedelta(seconds=timeout_s))
        stale = "state = 'running' AND heartbeat_at < ?"
        if self._db.one(f"SELECT 1 FROM runs WHERE {stale} LIMIT 1", (cutoff,)) is None:
            return 0
        with self._db.transaction() as conn:
            changed = conn.execute(f"UPDATE runs SET state = 'crashed' WHERE {stale}", (cutoff,))
            return changed.rowcount
