"""Metric history and system-metric events of runs, one JSON row per logged line.

Each row is kept at its line offset (the file_stream offset), so a re-sent line
overwrites rather than duplicates. ``step`` is stored beside the JSON so step
ranges are read through an index without decoding other rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from emulator.store import jsontext
from emulator.store.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    step INTEGER,
    row TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS history_by_step ON history (run_id, step);
CREATE TABLE IF NOT EXISTS events (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
) WITHOUT ROWID;
"""
TABLES = ("history", "events")

#: SQLite's json_each types -> the type names W&B reports in historyKeys.
_WIRE_TYPES = {
    "integer": "number",
    "real": "number",
    "text": "string",
    "true": "boolean",
    "false": "boolean",
    "object": "map",
    "array": "list",
    "null": "nil",
}


def _step_of(row: Mapping[str, Any]) -> int | None:
    step = row.get("_step")
    # The SDK may send _step as a float; W&B truncates it to an integer.
    return int(step) if isinstance(step, (int, float)) and not isinstance(step, bool) else None


class HistoryStore:
    """Writes and reads history and events rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def write_history(self, run_id: int, rows: Iterable[Mapping[str, Any]], offset: int = 0) -> int:
        """Store ``rows`` at lines ``offset, offset+1, …``; returns the run's new line count."""
        records = [
            (run_id, offset + i, _step_of(row), jsontext.dumps(row, compact=True))
            for i, row in enumerate(rows)
        ]
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO history (run_id, line, step, row) VALUES (?, ?, ?, ?)",
                records,
            )
            return self._recount(conn, run_id, "history")

    def write_events(self, run_id: int, rows: Iterable[Mapping[str, Any]], offset: int = 0) -> int:
        """Store system-metric event rows at ``offset…``; returns the run's new events count."""
        records = [
            (run_id, offset + i, jsontext.dumps(row, compact=True))
            for i, row in enumerate(rows)
        ]
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO events (run_id, line, row) VALUES (?, ?, ?)", records
            )
            return self._recount(conn, run_id, "events")

    def history_rows(self, run_id: int) -> list[dict[str, Any]]:
        """Every history row of a run, in line order."""
        rows = self._db.execute(
            "SELECT row FROM history WHERE run_id = ? ORDER BY line", (run_id,)
        )
        return [json.loads(row[0]) for row in rows]

    def event_rows(self, run_id: int) -> list[dict[str, Any]]:
        """Every system-metric event row of a run, in line order."""
        rows = self._db.execute("SELECT row FROM events WHERE run_id = ? ORDER BY line", (run_id,))
        return [json.loads(row[0]) for row in rows]

    def history_keys(self, run_id: int) -> dict[str, Any]:
        """W&B's ``historyKeys``: the last step and, per key, how often each type was logged."""
        last = self._db.one("SELECT MAX(step) FROM history WHERE run_id = ?", (run_id,))[0]
        rows = self._db.execute(
            "SELECT j.key, j.type, COUNT(*) FROM history h, json_each(h.row) j"
            " WHERE h.run_id = ? GROUP BY j.key, j.type ORDER BY j.key",
            (run_id,),
        )
        keys: dict[str, Any] = {}
        for key, sql_type, count in rows:
            counts = keys.setdefault(key, {"typeCounts": []})["typeCounts"]
            counts.append({"type": _WIRE_TYPES.get(sql_type, sql_type), "count": count})
        return {"lastStep": last, "keys": keys}

    @staticmethod
    def _recount(conn: Any, run_id: int, table: str) -> int:
        count = conn.execute(
            f"SELECT COALESCE(MAX(line) + 1, 0) FROM {table} WHERE run_id = ?", (run_id,)
        ).fetchone()[0]
        conn.execute(f"UPDATE runs SET {table}_line_count = ? WHERE id = ?", (count, run_id))
        return count
