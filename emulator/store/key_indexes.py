"""Indexes on the JSON keys that run filters and orders read, each created on first use.

SQLite parses a run's JSON document on every ``json_extract``, so without help a filter on
``config.lr`` or an order by ``summary_metrics.loss`` parses every run of the project. An
index on ``(project_id, json_extract(column, path))`` holds the key of every run in order:
a condition on the key becomes an index range, an order by it an index walk, and SQLite
reads the key's value from the index instead of the document.

Past the key, an index holds the run's id, so that runs with equal keys come in id order as
pages need them, and its display name: the W&B UI's search box filters runs by display name,
and a search within a range of the key (or walking its order) then reads the index alone,
not a run of a kilobyte or more for each name.

Which keys people filter and sort by is not known in advance, so the index on a key is
created the first time a query uses the key (a one-time cost of about a second per 100,000
runs) and kept; with ``--data-dir`` it is part of the database file and outlives restarts.
Every index costs each write of its column one more parse, so at most ``limit`` of them are
kept, dropping the least recently used.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable

from emulator.store.database import Database
from emulator.store.filters import JsonKey

#: Every index this module creates has a name starting with this.
PREFIX = "runs_key_"
DEFAULT_LIMIT = 32


def _columns(key: JsonKey) -> str:
    """The indexed columns of the index on ``key``."""
    return f"project_id, {key.call('json_extract', table=None)}, id, display_name"


def index_name(key: JsonKey) -> str:
    """The name of the index on ``key``: a digest of its columns, the same in every process
    (and another one should the columns ever change)."""
    return PREFIX + hashlib.sha256(_columns(key).encode()).hexdigest()[:16]


class KeyIndexes:
    """The indexes on JSON keys of the runs table, at most ``limit`` of them."""

    def __init__(self, db: Database, limit: int = DEFAULT_LIMIT) -> None:
        self._db = db
        self._limit = limit
        #: Names of the indexes that exist, least recently used first.
        self._used: OrderedDict[str, None] = OrderedDict()
        #: The schema version ``_used`` was read at; any other means "read it again".
        self._schema_version: int | None = None

    def ensure(self, keys: Iterable[JsonKey]) -> None:
        """Create the indexes on ``keys`` that do not exist yet and mark all of them used."""
        wanted = sorted({index_name(key): key for key in keys}.items())
        if not wanted:
            return
        with self._db.locked():
            self._refresh()
            changed = False
            for name, key in wanted[: self._limit]:
                if name not in self._used:
                    self._create(name, key)
                    changed = True
                self._used[name] = None
                self._used.move_to_end(name)
            while len(self._used) > self._limit:
                self._drop(next(iter(self._used)))
            if changed:  # this object made the schema change: no need to read it again
                self._schema_version = self._current_version()

    def names(self) -> list[str]:
        """The indexes that exist, least recently used first."""
        with self._db.locked():
            self._refresh()
            return list(self._used)

    def drop_all(self) -> None:
        """Drop every index on a JSON key; they are created again when queries need them."""
        with self._db.locked():
            self._refresh()
            for name in list(self._used):
                self._drop(name)
            self._schema_version = self._current_version()

    def _create(self, name: str, key: JsonKey) -> None:
        with self._db.transaction() as conn:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON runs ({_columns(key)})")
            # Once the runs have statistics (see RunStore), an index without them looks
            # more selective to SQLite than it is, and would be picked for any query.
            if _has_statistics(conn):
                conn.execute(f"ANALYZE {name}")

    def _drop(self, name: str) -> None:
        self._db.execute(f"DROP INDEX IF EXISTS {name}")
        del self._used[name]

    def _current_version(self) -> int:
        return self._db.integer("PRAGMA schema_version")

    def _refresh(self) -> None:
        """Read which indexes exist when the schema changed since this object last looked:
        at first, and after anything else changed it (a database restored from a copy)."""
        if self._current_version() == self._schema_version:
            return
        rows = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name GLOB ?", (PREFIX + "*",)
        )
        existing = {row[0] for row in rows}
        # Indexes this process did not create or use yet count as the least recently used.
        known = [name for name in self._used if name in existing]
        self._used = OrderedDict.fromkeys([*sorted(existing - set(known)), *known])
        self._schema_version = self._current_version()


def _has_statistics(conn: sqlite3.Connection) -> bool:
    """Whether ``ANALYZE`` has gathered statistics of the runs table's indexes."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    return bool(exists) and bool(
        conn.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'runs' LIMIT 1").fetchone()
    )
