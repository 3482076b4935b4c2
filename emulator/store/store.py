"""The :class:`Store`: every part of the emulator's storage behind one object."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path
from typing import Any

from emulator.store import (
    console,
    files,
    history,
    history_exports,
    identity,
    lifecycle,
    migrations,
    ownership,
    projects,
    registries,
    registry_members,
    runs,
    sweeps,
    teams,
)
from emulator.store.artifacts import ArtifactStore
from emulator.store.artifacts import schema as artifact_schema
from emulator.store.blobs import BlobImage, BlobStore
from emulator.store.console import ConsoleStore
from emulator.store.database import Database
from emulator.store.files import FileStore
from emulator.store.filters import register_sql_functions
from emulator.store.history import HistoryStore
from emulator.store.history_exports import HistoryExports
from emulator.store.identity import IdentityStore
from emulator.store.lifecycle import LifecycleStore
from emulator.store.projects import ProjectStore
from emulator.store.registries import RegistryStore
from emulator.store.registry_members import RegistryMemberStore
from emulator.store.runs import RunStore
from emulator.store.snapshot_blobs import BLOBS_KEY, decode_blobs, encode_blobs, replacing_blobs
from emulator.store.store_image import StoreImage
from emulator.store.stream_batches import StreamStore
from emulator.store.sweeps import SweepStore
from emulator.store.teams import TeamStore

_MODULES = (
    projects,
    runs,
    history,
    history_exports,
    files,
    artifact_schema,
    console,
    lifecycle,
    identity,
    teams,
    sweeps,
    registries,
    registry_members,
)
DB_FILENAME = "emulator.sqlite3"


class Store:
    """Everything the emulator keeps, behind one object.

    ``Store()`` lives in memory; ``Store(data_dir)`` keeps a SQLite file (WAL)
    under ``data_dir`` that survives restarts.
    """

    def __init__(self, data_dir: str | Path | None = None) -> None:
        self.data_dir = None if data_dir is None else Path(data_dir)
        path = None
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path = self.data_dir / DB_FILENAME
        self.db = _open_database(path)
        self.blobs = BlobStore(None if self.data_dir is None else self.data_dir / "blobs")
        self._open_parts()

    def _open_parts(self) -> None:
        """Create the parts over the database and blobs; :meth:`restore` starts them afresh,
        so whatever a part remembers about the data never outlives the data."""
        self.projects = ProjectStore(self.db)
        self.runs = RunStore(self.db)
        self.history = HistoryStore(self.db)
        self.history_exports = HistoryExports(self.db)
        self.files = FileStore(self.db, self.blobs)
        self.artifacts = ArtifactStore(self.db, self.blobs)
        self.console = ConsoleStore(self.db)
        self.lifecycle = LifecycleStore(self.db)
        self.sweeps = SweepStore(self.db)
        self.identity = IdentityStore(self.db)
        self.teams = TeamStore(self.db)
        self.registries = RegistryStore(self.db)
        self.registry_members = RegistryMemberStore(self.db)
        self.stream = StreamStore(
            self.db,
            runs=self.runs,
            history=self.history,
            console=self.console,
            lifecycle=self.lifecycle,
            files=self.files,
        )

    @property
    def tables(self) -> tuple[str, ...]:
        """Every table, parents before children."""
        return tuple(table for module in _MODULES for table in module.TABLES)

    def clear(self) -> None:
        """Delete everything, keeping the schema (less the indexes on JSON keys, which the
        next queries that need them create again)."""
        with self.db.transaction() as conn:
            self._delete_rows(conn)
        self.runs.indexes.drop_all()
        self.blobs.clear()

    def _delete_rows(self, conn: sqlite3.Connection) -> None:
        for table in reversed(self.tables):
            conn.execute(f"DELETE FROM {table}")

    @property
    def version(self) -> tuple[int, ...]:
        """A token that differs whenever rows, schema or blobs changed since it was read."""
        return (*self.db.version, self.blobs.writes)

    def capture(self) -> StoreImage:
        """An image of everything (rows, schema, blobs) for :meth:`restore` into this store.

        Costs about a millisecond for a few hundred kilobytes of database; blobs are
        shared, not copied (see :class:`~emulator.store.blobs.BlobImage`).
        """
        with self.db.exclusive():
            return StoreImage(self.db.copy(), self.blobs.capture())

    def restore(self, image: StoreImage) -> None:
        """Make this store exactly what it was when ``image`` was captured.

        Other threads wait meanwhile; a file store has the image on disk when this
        returns. Raises ``RuntimeError`` inside a transaction of this thread.
        """
        with self.db.exclusive():
            with self.blobs.restoring(image.blobs):
                self.db.replace(image.database)
            self._open_parts()

    def empty_image(self) -> StoreImage:
        """An image of an empty store: the schema without rows or blobs."""
        database = _open_database(None)
        try:
            return StoreImage(database.copy(), BlobImage())
        finally:
            database.close()

    def delete_run(self, run_id: int, *, delete_artifacts: bool = False) -> bool:
        """Delete a run with its history, events and files; returns whether it existed.

        ``delete_artifacts`` also deletes the artifacts the run logged; without it they
        outlive the run. Rows go in one transaction, blobs after it commits.
        """
        with self.db.transaction():
            blob_keys = self.files.blob_keys_of_run(run_id)
            exported = self.history_exports.files(run_id)
            artifact_ids = self.artifacts.delete_logged_by(run_id) if delete_artifacts else []
            deleted = self.runs.delete(run_id)
        self.files.delete_blobs(blob_keys)
        for file in exported:
            self.blobs.delete(file.blob_key)
        self.artifacts.contents.delete_manifests(artifact_ids)
        return deleted

    def export(self) -> dict[str, Any]:
        """A JSON-ready snapshot of every table, plus every blob (base64) under ``"blobs"``."""
        snapshot: dict[str, Any] = {
            table: [
                {column: _to_json(value) for column, value in zip(row.keys(), row, strict=True)}
                for row in self.db.execute(f"SELECT * FROM {table}")
            ]
            for table in self.tables
        }
        snapshot[BLOBS_KEY] = encode_blobs(self.blobs)
        return snapshot

    def load(self, snapshot: dict[str, Any]) -> None:
        """Replace everything with a snapshot made by :meth:`export`, all or nothing.

        Raises ``ValueError`` naming the problem when the snapshot does not fit the schema.
        """
        unknown = set(snapshot) - {*self.tables, BLOBS_KEY}
        if unknown:
            raise ValueError(f"unknown tables: {', '.join(sorted(unknown))}")
        blobs = decode_blobs(snapshot.get(BLOBS_KEY, {}))
        try:
            with replacing_blobs(self.blobs, blobs), self.db.transaction() as conn:
                self._delete_rows(conn)
                for table in self.tables:
                    self._load_table(conn, table, snapshot.get(table, []))
        except sqlite3.Error as error:
            raise ValueError(str(error)) from None

    def _load_table(self, conn: sqlite3.Connection, table: str, rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValueError(f"table {table!r} must be a list of objects")
        known = {info[1] for info in conn.execute(f"PRAGMA table_info({table})")}
        for row in rows:
            unknown = set(row) - known
            if unknown:
                raise ValueError(f"unknown columns in {table!r}: {', '.join(sorted(unknown))}")
            columns = ", ".join(row)
            marks = ", ".join("?" * len(row))
            values = tuple(map(_from_json, row.values()))
            conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _open_database(path: Path | None) -> Database:
    """The store's database at ``path`` (in memory for ``None``), schema and upgrades applied."""
    db = Database(
        path,
        schema=[module.SCHEMA for module in _MODULES],
        setup=[ownership.claim, register_sql_functions],
    )
    migrations.upgrade(db)
    return db


def _to_json(value: Any) -> Any:
    """A column value as JSON: BLOBs (history chunks) become ``{"base64": ...}``."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _from_json(value: Any) -> Any:
    """The inverse of :func:`_to_json` (``ValueError`` for invalid base64)."""
    if isinstance(value, dict) and set(value) == {"base64"}:
        return base64.b64decode(value["base64"], validate=True)
    return value
