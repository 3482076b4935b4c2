"""The catalog of artifact types and collections (sequences) of each project."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from emulator.store.artifacts.manifests import ArtifactError
from emulator.store.artifacts.records import ArtifactCollection, ArtifactType
from emulator.store.database import Database, inserted_id
from emulator.store.timestamps import utc_now

COLLECTION_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
COLLECTION_SELECT = """
SELECT c.id, c.project_id, e.name AS entity, p.name AS project, c.name, t.name AS type,
       c.created_at, c.description,
       EXISTS (SELECT 1 FROM artifact_portfolios f WHERE f.collection_id = c.id) AS portfolio
FROM artifact_collections c
JOIN artifact_types t ON t.id = c.type_id
JOIN projects p ON p.id = c.project_id
JOIN entities e ON e.id = p.entity_id
"""


def collection_record(row: sqlite3.Row) -> ArtifactCollection:
    """The collection a row of :data:`COLLECTION_SELECT` describes."""
    data = dict(row)
    data["portfolio"] = bool(data["portfolio"])
    return ArtifactCollection(**data)


class ArtifactCatalog:
    """Reads artifact types and collections, and creates them as versions are logged."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def types(self, project_id: int, name: str | None = None) -> list[ArtifactType]:
        """The artifact types used in a project (only ``name`` if given), oldest first."""
        where = "t.project_id = ?"
        params: list[Any] = [project_id]
        if name is not None:
            where += " AND t.name = ?"
            params.append(name)
        rows = self._db.execute(
            "SELECT t.id, t.project_id, e.name AS entity, p.name AS project, t.name, t.created_at"
            " FROM artifact_types t JOIN projects p ON p.id = t.project_id"
            f" JOIN entities e ON e.id = p.entity_id WHERE {where} ORDER BY t.id",
            params,
        )
        return [ArtifactType(**dict(row)) for row in rows]

    def collection(self, project_id: int, name: str) -> ArtifactCollection | None:
        """The collection ``name`` of a project, or ``None``."""
        row = self._db.one(
            COLLECTION_SELECT + " WHERE c.project_id = ? AND c.name = ?", (project_id, name)
        )
        return None if row is None else collection_record(row)

    def collection_by_id(self, collection_id: int) -> ArtifactCollection | None:
        """The collection with storage id ``collection_id``, or ``None``."""
        row = self._db.one(COLLECTION_SELECT + " WHERE c.id = ?", (collection_id,))
        return None if row is None else collection_record(row)

    def collections(
        self, project_id: int, type_name: str | None = None
    ) -> list[ArtifactCollection]:
        """The collections of a project (of one type if given), oldest first."""
        where = "c.project_id = ?"
        params: list[Any] = [project_id]
        if type_name is not None:
            where += " AND t.name = ?"
            params.append(type_name)
        rows = self._db.execute(COLLECTION_SELECT + f" WHERE {where} ORDER BY c.id", params)
        return [collection_record(row) for row in rows]

    def ensure_collection(
        self,
        conn: sqlite3.Connection,
        project_id: int,
        name: str,
        type_name: str,
        *,
        portfolio: bool = False,
    ) -> int:
        """The id of collection ``name`` of type ``type_name`` (a sequence, or with
        ``portfolio`` a portfolio), created (with its type) if missing; ArtifactError for
        invalid names or an existing collection of another type or kind."""
        if not COLLECTION_NAME.fullmatch(name):
            raise ArtifactError(
                f"invalid artifact name {name!r}: use letters, digits, '-', '_' and '.'"
            )
        if not type_name or "/" in type_name or ":" in type_name:
            raise ArtifactError(f"invalid artifact type {type_name!r}")
        now = utc_now()
        conn.execute(
            "INSERT OR IGNORE INTO artifact_types (project_id, name, created_at) VALUES (?, ?, ?)",
            (project_id, type_name, now),
        )
        type_id = conn.execute(
            "SELECT id FROM artifact_types WHERE project_id = ? AND name = ?",
            (project_id, type_name),
        ).fetchone()[0]
        existing = self.collection(project_id, name)
        if existing is not None:
            if existing.type != type_name:
                raise ArtifactError(
                    f"artifact collection {name!r} has type {existing.type!r},"
                    f" cannot add a version of type {type_name!r}"
                )
            if existing.portfolio != portfolio:
                kind = "a portfolio" if existing.portfolio else "a sequence"
                raise ArtifactError(
                    f"artifact collection {name!r} is {kind}: "
                    + ("link versions into it" if existing.portfolio else "log versions into it")
                )
            return existing.id
        cursor = conn.execute(
            "INSERT INTO artifact_collections (project_id, type_id, name, created_at)"
            " VALUES (?, ?, ?, ?)",
            (project_id, type_id, name, now),
        )
        collection_id = inserted_id(cursor)
        if portfolio:
            conn.execute(
                "INSERT INTO artifact_portfolios (collection_id) VALUES (?)", (collection_id,)
            )
        return collection_id
