"""Changes to logged versions and to collections: descriptions, metadata, tags, TTL,
aliases, names and types.

TTL values follow W&B: seconds (> 0), ``-1`` to inherit the team default (none here),
``-2`` to disable it. A version past its TTL is deleted before the next read that
looks it up (:meth:`~emulator.store.artifacts.store.ArtifactStore.expire_due`), as W&B
deletes expired versions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from emulator.store.artifacts.catalog import COLLECTION_NAME, ArtifactCatalog
from emulator.store.artifacts.links import move_aliases
from emulator.store.artifacts.manifests import ArtifactError, check_alias
from emulator.store.artifacts.records import LATEST, Artifact, ArtifactCollection
from emulator.store.database import Database
from emulator.store.timestamps import utc_now

#: TTL values with a meaning other than a duration.
TTL_INHERIT, TTL_DISABLED = -1, -2
_TAG_MAX = 128


def check_ttl(value: Any) -> int:
    """A TTL in seconds, ``-1`` (inherit) or ``-2`` (disabled); ArtifactError otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (value <= 0 and value not in (TTL_INHERIT, TTL_DISABLED))
    ):
        raise ArtifactError(
            f"invalid ttlDurationSeconds {value!r}: use a positive number of seconds,"
            " -1 to inherit the default or -2 for none"
        )
    return value


def check_tag(tag: Any) -> str:
    """A tag name: letters, digits, ``-``, ``_`` and inner spaces, at most 128 characters."""
    if (
        not isinstance(tag, str)
        or not tag.strip()
        or tag != tag.strip()
        or len(tag) > _TAG_MAX
        or not all(ch.isalnum() or ch in "-_ " for ch in tag)
    ):
        raise ArtifactError(f"invalid tag {tag!r}: use letters, digits, '-', '_' and spaces")
    return tag


def expires_at(artifact: Artifact) -> datetime | None:
    """When a version's TTL runs out, or ``None`` when it has none."""
    if artifact.ttl_duration_seconds <= 0:
        return None
    created = datetime.fromisoformat(artifact.created_at.replace("Z", "+00:00"))
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return created + timedelta(seconds=artifact.ttl_duration_seconds)


class ArtifactEditing:
    """Edits versions and collections in place."""

    def __init__(self, db: Database, catalog: ArtifactCatalog) -> None:
        self._db = db
        self._catalog = catalog

    def update(
        self,
        artifact: Artifact,
        *,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags_to_add: Iterable[str] = (),
        tags_to_delete: Iterable[str] = (),
        ttl_duration_seconds: int | None = None,
    ) -> None:
        """Change the fields given (``None`` leaves one unchanged)."""
        adding = [check_tag(tag) for tag in tags_to_add]
        removing = {check_tag(tag) for tag in tags_to_delete}
        ttl = None if ttl_duration_seconds is None else check_ttl(ttl_duration_seconds)
        tags = [tag for tag in dict.fromkeys([*artifact.tags, *adding]) if tag not in removing]
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE artifacts SET description = COALESCE(?, description),"
                " metadata = COALESCE(?, metadata), tags = ?,"
                " ttl_duration_seconds = COALESCE(?, ttl_duration_seconds), updated_at = ?"
                " WHERE id = ?",
                (
                    description,
                    None if metadata is None else json.dumps(dict(metadata)),
                    json.dumps(tags),
                    ttl,
                    utc_now(),
                    artifact.id,
                ),
            )

    def add_aliases(self, artifact: Artifact, aliases: Iterable[tuple[int, str]]) -> None:
        """Point each ``(collection id, alias)`` at a version that is a member there."""
        pairs = [(collection_id, check_alias(alias)) for collection_id, alias in aliases]
        with self._db.transaction() as conn:
            for collection_id, alias in pairs:
                self._check_member(artifact, collection_id)
                move_aliases(conn, collection_id, artifact.id, [alias])

    def delete_aliases(self, artifact: Artifact, aliases: Iterable[tuple[int, str]]) -> None:
        """Remove each ``(collection id, alias)`` from a version (``latest`` stays)."""
        pairs = list(aliases)
        for _, alias in pairs:
            if alias == LATEST:
                raise ArtifactError("the 'latest' alias cannot be removed: it moves by itself")
        with self._db.transaction() as conn:
            conn.executemany(
                "DELETE FROM artifact_aliases WHERE collection_id = ? AND alias = ?"
                " AND artifact_id = ?",
                [(collection_id, alias, artifact.id) for collection_id, alias in pairs],
            )

    def _check_member(self, artifact: Artifact, collection_id: int) -> None:
        if collection_id == artifact.collection_id:
            return
        linked = self._db.one(
            "SELECT 1 FROM artifact_links WHERE collection_id = ? AND artifact_id = ?",
            (collection_id, artifact.id),
        )
        if linked is None:
            raise ArtifactError(
                f"artifact {artifact.collection}:{artifact.version} is not a member of the"
                " collection the alias names"
            )

    def update_collection(
        self,
        collection: ArtifactCollection,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> None:
        """Rename a collection or change its description; ArtifactError for an invalid
        name or one another collection of the project has."""
        if name is not None and name != collection.name:
            if not COLLECTION_NAME.fullmatch(name):
                raise ArtifactError(
                    f"invalid artifact name {name!r}: use letters, digits, '-', '_' and '.'"
                )
            if self._catalog.collection(collection.project_id, name) is not None:
                raise ArtifactError(f"an artifact collection named {name!r} already exists")
        self._db.execute(
            "UPDATE artifact_collections SET name = COALESCE(?, name),"
            " description = COALESCE(?, description) WHERE id = ?",
            (name, description, collection.id),
        )

    def change_type(self, collection: ArtifactCollection, type_name: str) -> None:
        """Give a sequence another artifact type (created if missing)."""
        if collection.portfolio:
            raise ArtifactError(f"{collection.name!r} is a portfolio: its type cannot change")
        if not type_name or "/" in type_name or ":" in type_name:
            raise ArtifactError(f"invalid artifact type {type_name!r}")
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO artifact_types (project_id, name, created_at)"
                " VALUES (?, ?, ?)",
                (collection.project_id, type_name, utc_now()),
            )
            conn.execute(
                "UPDATE artifact_collections SET type_id = (SELECT id FROM artifact_types"
                " WHERE project_id = ? AND name = ?) WHERE id = ?",
                (collection.project_id, type_name, collection.id),
            )

    def collection_tags(self, collection_id: int) -> list[str]:
        """A collection's tags, by name."""
        rows = self._db.execute(
            "SELECT tag FROM artifact_collection_tags WHERE collection_id = ? ORDER BY tag",
            (collection_id,),
        )
        return [row[0] for row in rows]

    def tag_collection(
        self, collection_id: int, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> None:
        """Add and remove tags of a collection."""
        adding = [check_tag(tag) for tag in add]
        removing = [check_tag(tag) for tag in remove]
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO artifact_collection_tags (collection_id, tag) VALUES (?, ?)",
                [(collection_id, tag) for tag in adding],
            )
            conn.executemany(
                "DELETE FROM artifact_collection_tags WHERE collection_id = ? AND tag = ?",
                [(collection_id, tag) for tag in removing],
            )
