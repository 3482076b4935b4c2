"""The SQLite connection every store module shares.

One implementation serves both modes: ``path=None`` keeps everything in memory
(a fresh database costs about a millisecond), a file path gives a WAL-journaled
database that survives restarts and crashes. All access goes through one
connection guarded by a re-entrant lock, so the store can be used from the
server's worker threads and from test code at the same time.

:meth:`Database.copy` and :meth:`Database.replace` take and put back an image of
the whole database with SQLite's backup API, which works alike for memory and file
databases (a file stays a WAL database, and the replacement is on disk when it returns).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Database:
    """A thread-safe SQLite connection with the given DDL scripts applied."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        schema: Sequence[str] = (),
        setup: Sequence[Callable[[sqlite3.Connection], None]] = (),
    ) -> None:
        """Open ``path`` (memory when ``None``), run each ``setup`` hook (SQL functions)
        on the connection, then apply the ``schema`` DDL scripts."""
        self.path = None if path is None else Path(path)
        target = ":memory:" if self.path is None else str(self.path)
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA foreign_keys = ON")
        if self.path is not None:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        for hook in setup:
            hook(self._conn)
        for script in schema:
            self._conn.executescript(script)
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; nested blocks join the outer transaction."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Keep other threads off the connection for a block, without a transaction."""
        with self._lock:
            yield

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one statement and return all its rows."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Like :meth:`execute`, with rows as plain tuples (quicker to make than rows)."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.row_factory = None
            return cursor.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """Run one statement and return its first row, if any."""
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    @property
    def version(self) -> tuple[int, int]:
        """A token that differs whenever rows or the schema have changed since it was read.

        Counts every row this connection inserted, updated or deleted, and the schema
        cookie, so it moves for every write: all writes go through this connection.
        """
        with self._lock:
            schema = self._conn.execute("PRAGMA schema_version").fetchone()[0]
            return self._conn.total_changes, schema

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the connection for a block, outside any transaction; other threads wait.

        Raises ``RuntimeError`` inside a transaction of this thread.
        """
        with self._lock:
            if self._depth:
                raise RuntimeError("not possible inside a transaction")
            yield

    def copy(self) -> sqlite3.Connection:
        """A private in-memory database holding a copy of every page of this one."""
        image = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        with self.exclusive():
            self._conn.backup(image)
        return image

    def replace(self, image: sqlite3.Connection) -> None:
        """Make this database a page-for-page copy of ``image`` (see :meth:`copy`).

        SQLite bumps the schema cookie, so statements prepared against the old pages
        are prepared again.
        """
        with self.exclusive():
            image.backup(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
