"""Which database files are the emulator's: an application id in the file's header.

A data directory pointed at the wrong place must not have our tables added into another
application's database. A file is ours when its header carries :data:`APPLICATION_ID`,
when it is empty (a new store), or when it already holds the emulator's tables (files
written before the id was stamped); anything else is refused before anything is written.
"""

from __future__ import annotations

import sqlite3

#: ``PRAGMA application_id`` of the emulator's database files ("WBEM").
APPLICATION_ID = 0x5742454D
#: Tables every emulator database has had from the first version on.
_OUR_TABLES = frozenset({"entities", "projects", "runs"})


class ForeignDatabaseError(ValueError):
    """A file that is not a database of this emulator; the message says what it is."""


def claim(conn: sqlite3.Connection) -> None:
    """Stamp an empty or emulator database as ours; refuse any other file unchanged."""
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as error:
        raise ForeignDatabaseError(
            f"{_file_of(conn)} is not a SQLite database, or it is corrupt ({error})"
        ) from None
    if application_id == APPLICATION_ID:
        return
    if application_id != 0 or (tables and not tables >= _OUR_TABLES):
        shown = ", ".join(sorted(tables)[:5]) or "none"
        raise ForeignDatabaseError(
            f"{_file_of(conn)} belongs to another application (application id"
            f" {application_id:#x}, tables: {shown}); point --data-dir at a directory of"
            " its own"
        )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _file_of(conn: sqlite3.Connection) -> str:
    try:
        return str(conn.execute("PRAGMA database_list").fetchone()[2] or "the database")
    except sqlite3.DatabaseError:
        return "the database file"
