"""Entities, users and projects.

The identity columns (entity type and organization, user admin flag, account type and
creation time) are added by :mod:`emulator.store.migrations`; API keys, teams and
organizations live in :mod:`emulator.store.identity`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from emulator.store.database import Database
from emulator.store.records import Project, User
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (entity_id, name)
);
"""
TABLES = ("entities", "users", "projects")

#: Selects users as :func:`user_record` reads them; add a ``WHERE`` clause.
USER_SELECT = (
    "SELECT u.id, u.username, u.name, u.email, e.name AS entity, u.admin, u.account_type,"
    " u.created_at FROM users u JOIN entities e ON e.id = u.entity_id"
)

_PROJECT_SELECT = """
SELECT p.id, e.name AS entity, p.name, p.created_at, p.description
FROM projects p JOIN entities e ON e.id = p.entity_id
"""


def user_record(row: sqlite3.Row) -> User:
    """A :class:`User` from a row of :data:`USER_SELECT`."""
    values = dict(row)
    values["admin"] = bool(values["admin"])
    values["created_at"] = values["created_at"] or ""
    return User(**values)


class ProjectStore:
    """Reads and writes entities, their users and their projects."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def ensure_user(
        self, username: str, *, name: str | None = None, created_at: str | None = None
    ) -> User:
        """Return the user ``username``, creating it (at ``created_at``, default now) and
        its entity if missing."""
        existing = self.user(username)
        if existing is not None:
            return existing
        with self._db.transaction() as conn:
            entity_id = self._ensure_entity(conn, username)
            conn.execute(
                "INSERT OR IGNORE INTO users (entity_id, username, name, email, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    entity_id,
                    username,
                    name or username,
                    f"{username}@example.com",
                    created_at or utc_now(),
                ),
            )
        user = self.user(username)
        assert user is not None
        return user

    def user(self, username: str) -> User | None:
        """The user ``username``, or ``None``."""
        row = self._db.one(USER_SELECT + " WHERE u.username = ?", (username,))
        return None if row is None else user_record(row)

    def entity_id(self, name: str) -> int | None:
        """The storage id of entity ``name``, or ``None``."""
        row = self._db.one("SELECT id FROM entities WHERE name = ?", (name,))
        return None if row is None else row[0]

    def ensure_project(
        self,
        entity: str,
        name: str,
        *,
        created_at: str | None = None,
        description: str | None = None,
    ) -> Project:
        """Return project ``entity/name``, creating it (and the entity) if missing."""
        with self._db.transaction() as conn:
            entity_id = self._ensure_entity(conn, entity)
            conn.execute(
                "INSERT OR IGNORE INTO projects (entity_id, name, description, created_at)"
                " VALUES (?, ?, ?, ?)",
                (entity_id, name, description, created_at or utc_now()),
            )
        project = self.project(entity, name)
        assert project is not None
        return project

    def project(self, entity: str, name: str) -> Project | None:
        """Project ``entity/name``, or ``None``."""
        row = self._db.one(_PROJECT_SELECT + " WHERE e.name = ? AND p.name = ?", (entity, name))
        return None if row is None else Project(**dict(row))

    def projects(self, entity: str | None, *, after_id: int = 0, limit: int = 50) -> list[Project]:
        """Projects of ``entity`` (all entities when ``None``) with id > ``after_id``, by id."""
        where = "p.id > ?"
        params: list[Any] = [after_id]
        if entity is not None:
            where += " AND e.name = ?"
            params.append(entity)
        rows = self._db.execute(
            _PROJECT_SELECT + f" WHERE {where} ORDER BY p.id LIMIT ?", (*params, limit)
        )
        return [Project(**dict(row)) for row in rows]

    def entities(self) -> list[str]:
        """Every entity name, alphabetically."""
        return [row[0] for row in self._db.execute("SELECT name FROM entities ORDER BY name")]

    @staticmethod
    def _ensure_entity(conn: sqlite3.Connection, name: str) -> int:
        conn.execute("INSERT OR IGNORE INTO entities (name) VALUES (?)", (name,))
        row = conn.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()
        entity_id: int = row[0]
        return entity_id
