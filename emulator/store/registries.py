"""Organization registries: a registry is the project ``wandb-registry-<name>`` of an
organization's entity, with a visibility (W&B's project ``access``: ``PRIVATE`` for the
SDK's "organization", ``RESTRICTED``) and the artifact types it accepts.

The types a registry accepts are the ``artifact_types`` rows of its project: those saved
with it, and (when it accepts every type) those its collections use.

Collections in a registry are portfolios; versions are linked into them
(``ArtifactLinks.link`` asks :meth:`RegistryStore.check_link` first), so a registry's
versions are its portfolios' links.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from emulator.store.artifacts.manifests import ArtifactError
from emulator.store.database import Database
from emulator.store.projects import ProjectStore
from emulator.store.records import Project
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS registries (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    access TEXT NOT NULL,
    allow_all_types INTEGER NOT NULL,
    updated_at TEXT
);
"""
TABLES = ("registries",)
#: The project-name prefix that makes a project a registry.
REGISTRY_PREFIX = "wandb-registry-"
#: W&B's project ``access`` values a registry may have.
ACCESS_LEVELS = ("PRIVATE", "RESTRICTED")


class RegistryError(ArtifactError):
    """A registry call that cannot be done; the message names the problem."""


def is_registry_project(name: str) -> bool:
    """Whether project ``name`` is a registry's (``wandb-registry-...``)."""
    return name.startswith(REGISTRY_PREFIX)


@dataclass
class Registry:
    """A registry: its project, visibility and accepted artifact types."""

    project: Project
    access: str
    allow_all_types: bool
    #: The types it accepts, or, when it accepts all, the types saved or in use.
    artifact_types: list[str] = field(default_factory=list)
    updated_at: str | None = None

    @property
    def name(self) -> str:
        """The registry's name: its project's, less the prefix."""
        return self.project.name.removeprefix(REGISTRY_PREFIX)


@dataclass(frozen=True)
class RegistryInput:
    """What ``upsertModel`` may set on a registry (``None`` leaves it unchanged)."""

    description: str | None = None
    access: str | None = None
    allow_all_types: bool | None = None
    artifact_types: tuple[str, ...] = ()


class RegistryStore:
    """Creates, reads, changes and deletes the registries of organizations."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._projects = ProjectStore(db)

    def _org_entity_id(self, entity: str) -> int:
        row = self._db.one(
            "SELECT e.id FROM entities e JOIN organizations o ON o.entity_id = e.id"
            " WHERE e.name = ?",
            (entity,),
        )
        if row is None:
            raise RegistryError(
                f"entity {entity!r} is not an organization's entity: registries belong"
                " to organizations"
            )
        entity_id: int = row[0]
        return entity_id

    def registry(self, entity: str, project: str) -> Registry | None:
        """The registry ``entity/project`` (``project`` with its prefix), or ``None``."""
        found = self._projects.project(entity, project)
        if found is None or not is_registry_project(project):
            return None
        row = self._db.one("SELECT * FROM registries WHERE project_id = ?", (found.id,))
        if row is None:
            return None
        types = [
            r[0]
            for r in self._db.execute(
                "SELECT name FROM artifact_types WHERE project_id = ? ORDER BY id", (found.id,)
            )
        ]
        return Registry(
            found, row["access"], bool(row["allow_all_types"]), types, row["updated_at"]
        )

    def registry_by_id(self, project_id: int) -> Registry | None:
        """The registry whose project has storage id ``project_id``, or ``None``."""
        row = self._db.one(
            "SELECT e.name, p.name FROM projects p JOIN entities e ON e.id = p.entity_id"
            " WHERE p.id = ?",
            (project_id,),
        )
        return None if row is None else self.registry(row[0], row[1])

    def registries(self, entity: str) -> list[Registry]:
        """The registries of an organization's entity, oldest first."""
        rows = self._db.execute(
            "SELECT r.project_id FROM registries r JOIN projects p ON p.id = r.project_id"
            " JOIN entities e ON e.id = p.entity_id WHERE e.name = ? ORDER BY p.id",
            (entity,),
        )
        found = (self.registry_by_id(row[0]) for row in rows)
        return [registry for registry in found if registry is not None]

    def upsert(self, entity: str, project: str, changes: RegistryInput) -> tuple[Registry, bool]:
        """Create registry ``entity/project`` or change it; ``True`` when created.

        RegistryError for a name without the prefix, an entity that is no
        organization's, an unknown access level or a project that is no registry.
        """
        if not is_registry_project(project) or project == REGISTRY_PREFIX:
            raise RegistryError(
                f"registry project name {project!r} must be {REGISTRY_PREFIX!r} and a name"
            )
        if changes.access is not None and changes.access not in ACCESS_LEVELS:
            raise RegistryError(
                f"invalid registry access {changes.access!r}; expected one of"
                f" {', '.join(ACCESS_LEVELS)}"
            )
        self._org_entity_id(entity)
        existing = self.registry(entity, project)
        if existing is None and self._projects.project(entity, project) is not None:
            raise RegistryError(f"project {entity}/{project} exists and is not a registry")
        now = utc_now()
        with self._db.transaction() as conn:
            if existing is None:
                created = self._projects.ensure_project(
                    entity, project, created_at=now, description=changes.description
                )
                conn.execute(
                    "INSERT INTO registries (project_id, access, allow_all_types, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        created.id,
                        changes.access or "PRIVATE",
                        1 if changes.allow_all_types is None else int(changes.allow_all_types),
                        now,
                    ),
                )
                project_id = created.id
            else:
                self._change(conn, existing, changes, now)
                project_id = existing.project.id
            # Saved types are only ever added to, as on W&B.
            conn.executemany(
                "INSERT OR IGNORE INTO artifact_types (project_id, name, created_at)"
                " VALUES (?, ?, ?)",
                [(project_id, name, now) for name in changes.artifact_types],
            )
        registry = self.registry(entity, project)
        assert registry is not None
        return registry, existing is None

    @staticmethod
    def _change(
        conn: sqlite3.Connection, existing: Registry, changes: RegistryInput, now: str
    ) -> None:
        conn.execute(
            "UPDATE registries SET access = coalesce(?, access), allow_all_types ="
            " coalesce(?, allow_all_types), updated_at = ? WHERE project_id = ?",
            (
                changes.access,
                None if changes.allow_all_types is None else int(changes.allow_all_types),
                now,
                existing.project.id,
            ),
        )
        if changes.description is not None:
            conn.execute(
                "UPDATE projects SET description = ? WHERE id = ?",
                (changes.description, existing.project.id),
            )

    def rename(self, entity: str, old: str, new: str) -> Registry:
        """Give registry ``entity/old`` the project name ``new`` (with its prefix)."""
        registry = self.registry(entity, old)
        if registry is None:
            raise RegistryError(f"registry {entity}/{old} not found")
        if not is_registry_project(new) or new == REGISTRY_PREFIX:
            raise RegistryError(
                f"registry project name {new!r} must be {REGISTRY_PREFIX!r} and a name"
            )
        if self._projects.project(entity, new) is not None:
            raise RegistryError(f"project {entity}/{new} already exists")
        with self._db.transaction() as conn:
            conn.execute("UPDATE projects SET name = ? WHERE id = ?", (new, registry.project.id))
            conn.execute(
                "UPDATE registries SET updated_at = ? WHERE project_id = ?",
                (utc_now(), registry.project.id),
            )
        renamed = self.registry(entity, new)
        assert renamed is not None
        return renamed

    def delete(self, project_id: int) -> None:
        """Delete a registry with its collections and links; RegistryError if unknown."""
        if self.registry_by_id(project_id) is None:
            raise RegistryError(f"no registry with project id {project_id}")
        with self._db.transaction() as conn:
            # Its collections, their links, aliases and tags go with it (ON DELETE
            # CASCADE); a registry holds only portfolios, so no stored files do.
            conn.execute("DELETE FROM projects WHERE id = ?", (project_id,))

    def check_link(self, entity: str, project: str, type_name: str) -> None:
        """RegistryError unless a version of ``type_name`` may be linked into project
        ``entity/project``: a registry project must exist and accept the type."""
        if not is_registry_project(project):
            return
        registry = self.registry(entity, project)
        if registry is None:
            raise RegistryError(
                f"registry {project.removeprefix(REGISTRY_PREFIX)!r} not found in entity {entity!r}"
            )
        if not registry.allow_all_types and type_name not in registry.artifact_types:
            raise RegistryError(
                f"registry {project.removeprefix(REGISTRY_PREFIX)!r} does not accept artifact"
                f" type {type_name!r}; it accepts {', '.join(registry.artifact_types)}"
            )


def types_of(inputs: Iterable[dict[str, str]] | None) -> tuple[str, ...]:
    """Type names from W&B's ``[ArtifactTypeInput]`` (``{"name": ...}``) list."""
    return tuple(item["name"] for item in inputs or ())
