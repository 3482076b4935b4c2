"""The SQLite connection every store module shares.

One implementation serves both modes: ``path=None`` keeps everything in memory
(a fresh database costs about a millisecond), a file path gives a WAL-journaled
database that survives restarts and crashes. All access goes through one
connection guarded by a re-entrant lock, so the store can be used from the
server's worker threads and from test code at the same time.

:meth:`Database.copy` and :meth:`Database.replace` take and put back an image of
the whole database with SQLite's backup API, which works alike for memory and file
databases (a file stays a WAL database, and the replacement is on disk when it returns).

Durability: ordinary transactions commit to the WAL with ``synchronous = NORMAL``: a
commit survives a crash of the process at once, and a power loss from the next checkpoint
on; the database is never left inconsistent. A :meth:`Database.bulk_transaction` (seeding)
uses a rollback journal with ``synchronous = FULL`` instead: just as atomic, durable from
its commit on, and the pages it adds are written once, where the WAL writes them twice
(into the WAL, then into the database at the checkpoint).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: How long a statement waits for another process's lock before failing.
_BUSY_TIMEOUT_S = 5.0


class Database:
    """A thread-safe SQLite connection with the given DDL scripts applied."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        schema: Sequence[str] = (),
        setup: Sequence[Callable[[sqlite3.Connection], None]] = (),
    ) -> None:
        """Open ``path`` (memory when ``None``), run each ``setup`` hook (checks of the
        file, SQL functions) on the connection, then apply the ``schema`` DDL scripts.

        The hooks run before anything is written, so a hook that raises leaves the file
        as it was (the connection is closed again).
        """
        self.path = None if path is None else Path(path)
        target = ":memory:" if self.path is None else str(self.path)
        self._conn = sqlite3.connect(
            target, timeout=_BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA foreign_keys = ON")
        try:
            for hook in setup:
                hook(self._conn)
        except BaseException:
            self._conn.close()
            raise
        if self.path is not None:
            self._use_wal()
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

    @contextmanager
    def bulk_transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction for adding much data at once; otherwise like :meth:`transaction`.

        On a file, it is journaled with a rollback journal, then the WAL is used again: a
        crash before the commit leaves a journal that rolls the file back to what it held
        before when it is next opened. In memory, when nested in another transaction, or
        when another process has the file open (the journal cannot change then), it is an
        ordinary transaction.
        """
        with self._lock:
            journaled = self.path is not None and self._depth == 0 and self._use_rollback_journal()
            try:
                with self.transaction() as conn:
                    yield conn
            finally:
                if journaled:
                    self._use_wal()

    def _use_wal(self) -> None:
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")

    def _use_rollback_journal(self) -> bool:
        """Leave WAL mode for a rollback journal, synced at every step; whether it could.

        Leaving WAL mode needs the only connection to the file, so this does not wait for
        other processes' locks: when it cannot switch, the WAL stays in use.
        """
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            mode = self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # another connection holds the file
            mode = "wal"
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
        if mode != "delete":
            return False
        self._conn.execute("PRAGMA synchronous = FULL")
        return True

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
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def integer(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement answering one integer (a count, a pragma) and return it."""
        with self._lock:
            value: int = self._conn.execute(sql, params).fetchone()[0]
            return value

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
        with self.locked():
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


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an ``INSERT`` through ``cursor`` just made."""
    if cursor.lastrowid is None:
        raise RuntimeError("the statement inserted no row")
    return cursor.lastrowid
