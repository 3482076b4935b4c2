"""Run files: rows describing each file, bytes in the blob store, single-use upload grants.

A file's bytes live in the blob store under an opaque key, never under its name, so
no name can reach outside the run's storage; names are still checked like W&B paths.
Every write stores the blob first and commits the row that points to it afterwards:
a crash in between leaves an unreferenced blob, never a row without its bytes.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from emulator.store.blobs import BlobStore
from emulator.store.database import Database
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS run_files (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    mimetype TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (run_id, name)
);
CREATE TABLE IF NOT EXISTS run_file_uploads (
    token TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
"""
TABLES = ("run_files", "run_file_uploads")

#: Longest file name accepted, in characters.
MAX_NAME_LENGTH = 1024
_SELECT = "SELECT id, run_id, name, size_bytes, md5, mimetype, blob_key, updated_at FROM run_files"


class FileNameError(ValueError):
    """A file name that is not a relative path inside the run."""


class UploadError(LookupError):
    """An upload URL that was never handed out (``used`` False) or was already used."""

    def __init__(self, message: str, *, used: bool) -> None:
        super().__init__(message)
        self.used = used


@dataclass(frozen=True)
class RunFile:
    """One stored file of a run. ``md5`` is base64 of the MD5 digest, as W&B reports it."""

    id: int
    run_id: int
    name: str
    size_bytes: int
    md5: str
    mimetype: str
    blob_key: str
    updated_at: str


@dataclass(frozen=True)
class FilePage:
    """One page of a run's files, by name, and whether more follow."""

    files: list[RunFile]
    has_next_page: bool


def check_file_name(name: object) -> str:
    """Return ``name`` if it is a relative path such as ``media/images/x.png``.

    Raises:
        FileNameError: for empty or overlong names, NUL bytes, absolute paths and
            empty, ``.`` or ``..`` segments.
    """
    if not isinstance(name, str) or not name:
        raise FileNameError(f"file name must be a non-empty string, got {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise FileNameError(f"file name is longer than {MAX_NAME_LENGTH} characters")
    if "\x00" in name:
        raise FileNameError(f"file name {name!r} contains a NUL byte")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise FileNameError(f"file name {name!r} is an absolute path")
    if any(part in ("", ".", "..") for part in name.replace("\\", "/").split("/")):
        raise FileNameError(f"file name {name!r} has an empty, '.' or '..' segment")
    return name


@cache
def _mime_types() -> mimetypes.MimeTypes:
    """Python's built-in table only, so answers do not depend on the host's mime.types
    files; built on first use rather than on import (it takes about 10 ms). One per
    process on purpose: the table is only read, and the same for every store."""
    return mimetypes.MimeTypes()


def _describe(run_id: int, name: str, data: bytes) -> tuple[str, int, str, str]:
    """(blob key, size, base64 MD5, mimetype) of ``data`` stored as file ``name`` of a run.

    The key depends only on the run, the name and the content: seeding the same data
    twice gives the same store, and rewriting identical bytes is harmless.
    """
    digest = hashlib.md5(data).digest()
    key = hashlib.sha256(f"{run_id}/{name}/{digest.hex()}".encode()).hexdigest()
    md5 = base64.b64encode(digest).decode("ascii")
    mimetype = _mime_types().guess_type(name)[0] or "application/octet-stream"
    return f"runfiles/{key[:2]}/{key}", len(data), md5, mimetype


def _open_grant(conn: sqlite3.Connection, token: str) -> sqlite3.Row:
    """The unused upload grant ``token``; ``UploadError`` if unknown or used."""
    grant: sqlite3.Row | None = conn.execute(
        "SELECT run_id, name, used_at FROM run_file_uploads WHERE token = ?", (token,)
    ).fetchone()
    if grant is None:
        raise UploadError("unknown upload URL", used=False)
    if grant["used_at"] is not None:
        raise UploadError("this upload URL was already used", used=True)
    return grant


def old_key_of(db: Database, run_id: int, name: str) -> str | None:
    """The blob key file ``name`` of the run has now, if it exists."""
    row = db.one("SELECT blob_key FROM run_files WHERE run_id = ? AND name = ?", (run_id, name))
    return None if row is None else row[0]


def _record(row: sqlite3.Row) -> RunFile:
    return RunFile(**dict(row))


class FileStore:
    """Reads and writes run files and their upload grants."""

    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self._db = db
        self._blobs = blobs

    # Uploads.

    def grant_uploads(self, run_id: int, names: Sequence[str]) -> list[str]:
        """One single-use upload token per name (names are checked first, all or nothing)."""
        for name in names:
            check_file_name(name)
        tokens = [secrets.token_urlsafe(24) for _ in names]
        now = utc_now()
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO run_file_uploads (token, run_id, name, created_at)"
                " VALUES (?, ?, ?, ?)",
                [(token, run_id, name, now) for token, name in zip(tokens, names, strict=True)],
            )
        return tokens

    def accept_upload(self, token: str, data: bytes) -> RunFile:
        """Store the bytes PUT to upload ``token`` and register the file; the token is spent.

        Raises:
            UploadError: if the token is unknown (or its run was deleted) or already used.
        """
        with self._db.transaction() as conn:
            grant = _open_grant(conn, token)

        def spend(conn: sqlite3.Connection) -> None:
            # Checked again inside the writing transaction: another PUT of the same URL,
            # or the deletion of the run, may have come first.
            _open_grant(conn, token)
            conn.execute(
                "UPDATE run_file_uploads SET used_at = ? WHERE token = ?", (utc_now(), token)
            )

        return self._write(grant["run_id"], grant["name"], data, before=spend)

    # Direct writes and reads.

    def put(self, run_id: int, name: str, data: bytes, *, updated_at: str | None = None) -> RunFile:
        """Store ``data`` as file ``name`` of the run, replacing a file of that name.

        ``updated_at`` defaults to now.
        """
        return self._write(run_id, check_file_name(name), data, updated_at=updated_at)

    def _write(
        self,
        run_id: int,
        name: str,
        data: bytes,
        *,
        before: Callable[[sqlite3.Connection], None] | None = None,
        updated_at: str | None = None,
    ) -> RunFile:
        key, size, md5, mimetype = _describe(run_id, name, data)
        self._blobs.put(key, data)
        try:
            with self._db.transaction() as conn:
                if before is not None:
                    before(conn)
                old_key = old_key_of(self._db, run_id, name)
                conn.execute(
                    "INSERT INTO run_files"
                    " (run_id, name, size_bytes, md5, mimetype, blob_key, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET"
                    " size_bytes = excluded.size_bytes, md5 = excluded.md5,"
                    " mimetype = excluded.mimetype, blob_key = excluded.blob_key,"
                    " updated_at = excluded.updated_at",
                    (run_id, name, size, md5, mimetype, key, updated_at or utc_now()),
                )
        except BaseException:
            if old_key_of(self._db, run_id, name) != key:
                self._blobs.delete(key)
            raise
        if old_key not in (None, key):
            self._blobs.delete(old_key)
        stored = self.get(run_id, name)
        assert stored is not None
        return stored

    def get(self, run_id: int, name: str) -> RunFile | None:
        """File ``name`` of the run, or ``None``."""
        row = self._db.one(_SELECT + " WHERE run_id = ? AND name = ?", (run_id, name))
        return None if row is None else _record(row)

    def by_id(self, file_id: int) -> RunFile | None:
        """The file with storage id ``file_id``, or ``None``."""
        row = self._db.one(_SELECT + " WHERE id = ?", (file_id,))
        return None if row is None else _record(row)

    def read(self, file: RunFile) -> bytes | None:
        """The bytes of ``file`` (``None`` if its blob has gone missing)."""
        return self._blobs.get(file.blob_key)

    def count(self, run_id: int) -> int:
        """How many files the run has."""
        return self._db.integer("SELECT COUNT(*) FROM run_files WHERE run_id = ?", (run_id,))

    def page(
        self,
        run_id: int,
        *,
        names: Iterable[str] = (),
        pattern: str | None = None,
        after: str | None = None,
        first: int = 50,
    ) -> FilePage:
        """Files by name after name ``after``: only ``names`` if any, else those whose name
        matches the SQL ``LIKE`` ``pattern`` if given."""
        conditions = ["run_id = ?"]
        params: list[Any] = [run_id]
        wanted = list(names)
        if wanted:
            conditions.append(f"name IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        elif pattern is not None:
            conditions.append("name LIKE ?")
            params.append(pattern)
        if after is not None:
            conditions.append("name > ?")
            params.append(after)
        rows = self._db.execute(
            _SELECT + f" WHERE {' AND '.join(conditions)} ORDER BY name LIMIT ?",
            (*params, first + 1),
        )
        return FilePage([_record(row) for row in rows[:first]], has_next_page=len(rows) > first)

    # Deletion.

    def delete(self, file_ids: Iterable[int]) -> int:
        """Delete files by storage id, rows first then their blobs; returns how many."""
        ids = list(file_ids)
        with self._db.transaction() as conn:
            keys = [
                row[0]
                for file_id in ids
                for row in conn.execute("SELECT blob_key FROM run_files WHERE id = ?", (file_id,))
            ]
            conn.executemany("DELETE FROM run_files WHERE id = ?", [(i,) for i in ids])
        self.delete_blobs(keys)
        return len(keys)

    def blob_keys_of_run(self, run_id: int) -> list[str]:
        """The blob keys of every file of a run (to delete once the run's rows are gone)."""
        rows = self._db.execute("SELECT blob_key FROM run_files WHERE run_id = ?", (run_id,))
        return [row[0] for row in rows]

    def delete_blobs(self, keys: Iterable[str]) -> None:
        """Remove the blobs of deleted rows."""
        for key in keys:
            self._blobs.delete(key)
