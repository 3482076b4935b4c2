"""Upgrades of database files that earlier versions of the emulator wrote.

``PRAGMA user_version`` counts the upgrades a database has had: opening it applies the
rest, each in a transaction with the new count. The schema scripts (``CREATE ... IF NOT
EXISTS``) have already added any new tables and indexes; an upgrade fills them in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from emulator.store.database import Database


def _fill_run_tags(conn: sqlite3.Connection) -> None:
    """Version 1: ``run_tags`` holds each run's tags (the triggers keep it so from then on).

    A ``tags`` value that is not JSON is skipped rather than making the file unusable.
    """
    conn.execute(
        "INSERT OR IGNORE INTO run_tags (run_id, tag)"
        " SELECT runs.id, tag.value FROM runs,"
        " json_each(CASE WHEN json_valid(runs.tags) THEN runs.tags ELSE '[]' END) AS tag"
        " WHERE tag.value IS NOT NULL"
    )


#: Columns of the identity model on tables older files already have: (table, column DDL).
_IDENTITY_COLUMNS = (
    # One of records.ENTITY_TYPES; an entity made before teams existed was a user's.
    ("entities", "type TEXT NOT NULL DEFAULT 'USER'"),
    # The organization a team belongs to. Not a foreign key: organizations refer to their
    # own entity, and a cycle of keys would make snapshots impossible to load in order.
    ("entities", "organization_id INTEGER"),
    ("users", "admin INTEGER NOT NULL DEFAULT 0"),
    ("users", "account_type TEXT NOT NULL DEFAULT 'USER'"),
    ("users", "created_at TEXT"),
)


def _add_columns(conn: sqlite3.Connection, columns: tuple[tuple[str, str], ...]) -> None:
    """Add each ``(table, column DDL)`` a table lacks. New files get their columns here
    too (the schema scripts hold only what version 0 had), so each has one definition."""
    for table, column in columns:
        existing = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column.split()[0] not in existing:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")


def _add_identity_columns(conn: sqlite3.Connection) -> None:
    """Version 2: entities have a type and an organization; users an admin flag, an
    account type and a creation time."""
    _add_columns(conn, _IDENTITY_COLUMNS)


def _add_history_extremes(conn: sqlite3.Connection) -> None:
    """Version 3: a full chunk of history keeps its metrics' extremes, for charts (see
    :meth:`emulator.store.history_chunks.Chunk.extremes`). Chunks written before stay
    ``NULL``, which readers take as "decode the chunk": nothing is rewritten here."""
    _add_columns(conn, (("history", "extremes BLOB"),))


#: The upgrade to version ``n`` is ``UPGRADES[n - 1]``.
UPGRADES: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _fill_run_tags,
    _add_identity_columns,
    _add_history_extremes,
)


def upgrade(db: Database) -> None:
    """Apply the upgrades ``db`` has not had yet."""
    version = db.integer("PRAGMA user_version")
    for number, step in enumerate(UPGRADES[version:], start=version + 1):
        with db.transaction() as conn:
            step(conn)
            conn.execute(f"PRAGMA user_version = {number}")
