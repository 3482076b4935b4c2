"""Artifacts: types, collections, versions (PENDING -> COMMITTED), aliases, files, lineage.

File contents are content-addressed blobs (``artifacts/files/<md5 hex>``), so identical
files of any number of versions are stored once. A version's manifest is the blob
``artifacts/manifests/<artifact id>``; committing a version checks that the manifest and
every file it lists have arrived, then lists the files, numbers the version and moves
its aliases, all in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from emulator.store.artifact_records import (
    LATEST,
    Artifact,
    ArtifactCollection,
    ArtifactFile,
    ArtifactType,
)
from emulator.store.blobs import BlobStore
from emulator.store.database import Database
from emulator.store.manifests import (
    ArtifactError,
    ManifestEntry,
    b64_to_hex,
    build_manifest,
    check_file_name,
    check_hex_md5,
    manifest_digest,
    md5_b64,
    parse_manifest,
)
from emulator.store.projects import ProjectStore, utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS artifact_types (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, name)
);
CREATE TABLE IF NOT EXISTS artifact_collections (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES artifact_types(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, name)
);
CREATE TABLE IF NOT EXISTS artifacts (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    version_index INTEGER,
    digest TEXT NOT NULL,
    state TEXT NOT NULL,
    description TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '[]',
    ttl_duration_seconds INTEGER NOT NULL DEFAULT -1,
    history_step INTEGER,
    size INTEGER NOT NULL DEFAULT 0,
    file_count INTEGER NOT NULL DEFAULT 0,
    pending_aliases TEXT NOT NULL DEFAULT '[]',
    created_by_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (collection_id, version_index)
);
CREATE INDEX IF NOT EXISTS artifacts_by_digest ON artifacts (collection_id, digest);
CREATE INDEX IF NOT EXISTS artifacts_by_run ON artifacts (created_by_run_id);
CREATE TABLE IF NOT EXISTS artifact_aliases (
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    PRIMARY KEY (collection_id, alias)
);
CREATE TABLE IF NOT EXISTS artifact_files (
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    md5 TEXT NOT NULL,
    md5_hex TEXT NOT NULL,
    size INTEGER NOT NULL,
    birth_artifact_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (artifact_id, name)
);
CREATE TABLE IF NOT EXISTS artifact_lineage (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
    used_as TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, artifact_id, direction)
);
CREATE INDEX IF NOT EXISTS lineage_by_artifact ON artifact_lineage (artifact_id, direction);
"""
TABLES = (
    "artifact_types",
    "artifact_collections",
    "artifacts",
    "artifact_aliases",
    "artifact_files",
    "artifact_lineage",
)

_VERSION = re.compile(r"v(\d+)")
_ALIAS = re.compile(r"[^:/\s]{1,128}")
_COLLECTION_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
_SELECT = """
SELECT a.*, c.name AS collection, c.project_id, t.name AS type, p.name AS project,
       e.name AS entity
FROM artifacts a
JOIN artifact_collections c ON c.id = a.collection_id
JOIN artifact_types t ON t.id = c.type_id
JOIN projects p ON p.id = c.project_id
JOIN entities e ON e.id = p.entity_id
"""
_COLLECTION_SELECT = """
SELECT c.id, c.project_id, e.name AS entity, p.name AS project, c.name, t.name AS type,
       c.created_at, c.description
FROM artifact_collections c
JOIN artifact_types t ON t.id = c.type_id
JOIN projects p ON p.id = c.project_id
JOIN entities e ON e.id = p.entity_id
"""


def file_key(md5_hex: str) -> str:
    """The blob key of a file's contents."""
    return f"artifacts/files/{check_hex_md5(md5_hex)}"


def manifest_key(artifact_id: int) -> str:
    """The blob key of a version's manifest."""
    return f"artifacts/manifests/{int(artifact_id)}"


def split_name(name: str) -> tuple[str, str]:
    """``("coll", "alias")`` from ``"coll:alias"``; ArtifactError for any other form."""
    collection, sep, alias = name.partition(":")
    if not sep or not collection or not alias or ":" in alias or "/" in name:
        raise ArtifactError(
            f"invalid artifact name {name!r}: expected 'name:version' or 'name:alias'"
        )
    return collection, alias


def check_alias(alias: Any) -> str:
    """A user alias: no ``:``, ``/`` or spaces, and not a version such as ``v3``."""
    if not isinstance(alias, str) or not _ALIAS.fullmatch(alias) or _VERSION.fullmatch(alias):
        raise ArtifactError(f"invalid alias {alias!r}: aliases cannot be versions or contain ':/'")
    return alias


def _record(row: sqlite3.Row) -> Artifact:
    data = dict(row)
    data.pop("pending_aliases")
    data["metadata"] = json.loads(data["metadata"])
    data["tags"] = json.loads(data["tags"])
    return Artifact(**data)


class ArtifactStore:
    """Reads and writes artifacts; file contents go to the shared :class:`BlobStore`."""

    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self._db = db
        self._blobs = blobs
        self._projects = ProjectStore(db)

    # -- types and collections ------------------------------------------------------------

    def types(self, project_id: int, name: str | None = None) -> list[ArtifactType]:
        """The artifact types used in a project (only ``name`` if given), oldest first."""
        where, params = "t.project_id = ?", [project_id]
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
            _COLLECTION_SELECT + " WHERE c.project_id = ? AND c.name = ?", (project_id, name)
        )
        return None if row is None else ArtifactCollection(**dict(row))

    def collection_by_id(self, collection_id: int) -> ArtifactCollection | None:
        """The collection with storage id ``collection_id``, or ``None``."""
        row = self._db.one(_COLLECTION_SELECT + " WHERE c.id = ?", (collection_id,))
        return None if row is None else ArtifactCollection(**dict(row))

    def collections(
        self, project_id: int, type_name: str | None = None
    ) -> list[ArtifactCollection]:
        """The collections of a project (of one type if given), oldest first."""
        where, params = "c.project_id = ?", [project_id]
        if type_name is not None:
            where += " AND t.name = ?"
            params.append(type_name)
        rows = self._db.execute(_COLLECTION_SELECT + f" WHERE {where} ORDER BY c.id", params)
        return [ArtifactCollection(**dict(row)) for row in rows]

    def _ensure_collection(
        self, conn: sqlite3.Connection, project_id: int, name: str, type_name: str
    ) -> int:
        if not _COLLECTION_NAME.fullmatch(name):
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
                    f"artifact {name!r} has type {existing.type!r}, cannot log it as {type_name!r}"
                )
            return existing.id
        cursor = conn.execute(
            "INSERT INTO artifact_collections (project_id, type_id, name, created_at)"
            " VALUES (?, ?, ?, ?)",
            (project_id, type_id, name, now),
        )
        return int(cursor.lastrowid)

    # -- versions ---------------------------------------------------------------------------

    def get(self, artifact_id: int) -> Artifact | None:
        """The version with storage id ``artifact_id`` (any state), or ``None``."""
        row = self._db.one(_SELECT + " WHERE a.id = ?", (artifact_id,))
        return None if row is None else _record(row)

    def latest(self, collection_id: int) -> Artifact | None:
        """The newest committed version of a collection, or ``None``."""
        row = self._db.one(
            _SELECT + " WHERE a.collection_id = ? AND a.state = 'COMMITTED'"
            " ORDER BY a.version_index DESC LIMIT 1",
            (collection_id,),
        )
        return None if row is None else _record(row)

    def resolve(self, collection_id: int, alias: str) -> Artifact | None:
        """The committed version named by ``vN``, an alias or a digest, or ``None``."""
        version = _VERSION.fullmatch(alias)
        if version:
            where, params = "a.version_index = ?", [int(version.group(1))]
        else:
            where = (
                "(a.id = (SELECT artifact_id FROM artifact_aliases"
                " WHERE collection_id = a.collection_id AND alias = ?) OR a.digest = ?)"
            )
            params = [alias, alias]
        row = self._db.one(
            _SELECT + f" WHERE a.collection_id = ? AND a.state = 'COMMITTED' AND {where}"
            " ORDER BY a.version_index DESC LIMIT 1",
            (collection_id, *params),
        )
        return None if row is None else _record(row)

    def by_name(self, project_id: int, name: str) -> Artifact | None:
        """The committed version ``"coll:alias"`` of a project, or ``None``.

        Raises ArtifactError when ``name`` is not of that form.
        """
        collection_name, alias = split_name(name)
        collection = self.collection(project_id, collection_name)
        return None if collection is None else self.resolve(collection.id, alias)

    def versions(self, collection_id: int) -> list[Artifact]:
        """The committed versions of a collection, newest first."""
        rows = self._db.execute(
            _SELECT + " WHERE a.collection_id = ? AND a.state = 'COMMITTED'"
            " ORDER BY a.version_index DESC",
            (collection_id,),
        )
        return [_record(row) for row in rows]

    def aliases(self, artifact_id: int) -> list[str]:
        """The aliases on a version (``latest`` first, then by name)."""
        rows = self._db.execute(
            "SELECT alias FROM artifact_aliases WHERE artifact_id = ?"
            " ORDER BY alias != ?, alias",
            (artifact_id, LATEST),
        )
        return [row[0] for row in rows]

    def create(
        self,
        entity: str,
        project: str,
        *,
        collection: str,
        type_name: str,
        digest: str,
        run_id: int | None = None,
        aliases: Iterable[str] = (),
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags: Iterable[str] = (),
        ttl_duration_seconds: int | None = None,
        history_step: int | None = None,
    ) -> Artifact:
        """A new PENDING version, or the COMMITTED one of the collection with this digest.

        In the second case ``aliases`` are applied to that version at once; otherwise
        they are kept until :meth:`commit`.
        """
        alias_list = [alias for alias in dict.fromkeys(aliases) if alias != LATEST]
        for alias in alias_list:
            check_alias(alias)
        with self._db.transaction() as conn:
            project_id = self._projects.ensure_project(entity, project).id
            collection_id = self._ensure_collection(conn, project_id, collection, type_name)
            existing = conn.execute(
                "SELECT id FROM artifacts WHERE collection_id = ? AND digest = ?"
                " AND state = 'COMMITTED' ORDER BY version_index DESC LIMIT 1",
                (collection_id, digest),
            ).fetchone()
            if existing is not None:
                artifact_id = existing[0]
                self._move_aliases(conn, collection_id, artifact_id, alias_list)
                self._add_tags(conn, artifact_id, tags)
            else:
                now = utc_now()
                cursor = conn.execute(
                    "INSERT INTO artifacts (collection_id, digest, state, description, metadata,"
                    " tags, ttl_duration_seconds, history_step, pending_aliases,"
                    " created_by_run_id, created_at, updated_at)"
                    " VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        collection_id, digest, description, json.dumps(dict(metadata or {})),
                        json.dumps(list(tags)),
                        -1 if ttl_duration_seconds is None else ttl_duration_seconds,
                        history_step, json.dumps(alias_list), run_id, now, now,
                    ),
                )
                artifact_id = int(cursor.lastrowid)
            if run_id is not None:
                self._link(conn, run_id, artifact_id, "output")
        artifact = self.get(artifact_id)
        assert artifact is not None
        return artifact

    def _pending(self, artifact_id: int) -> Artifact:
        artifact = self.get(artifact_id)
        if artifact is None:
            raise ArtifactError(f"artifact {artifact_id} not found")
        if artifact.state != "PENDING":
            raise ArtifactError(
                f"artifact {artifact.collection}:{artifact.version} is {artifact.state},"
                " its files cannot change"
            )
        return artifact

    def check_upload(self, artifact_id: int, name: str, md5: str) -> bool:
        """Validate one file a client is about to upload; whether its bytes are needed.

        Contents already stored (same MD5, from any version) need no upload.
        """
        self._pending(artifact_id)
        check_file_name(name)
        return self._blobs.get(file_key(b64_to_hex(md5))) is None

    def put_file(self, md5_hex: str, data: bytes) -> None:
        """Store file contents under their MD5; ArtifactError if the bytes do not match it."""
        actual = hashlib.md5(data).hexdigest()
        if actual != check_hex_md5(md5_hex):
            raise ArtifactError(f"uploaded bytes have md5 {actual}, expected {md5_hex}")
        self._blobs.put(file_key(md5_hex), data)

    def put_manifest(self, artifact_id: int, data: bytes) -> None:
        """Store the manifest of a PENDING version after checking it."""
        self._pending(artifact_id)
        parse_manifest(data)
        self._blobs.put(manifest_key(artifact_id), data)

    def manifest(self, artifact_id: int) -> bytes | None:
        """The manifest document of a version, or ``None`` if it never arrived."""
        return self._blobs.get(manifest_key(artifact_id))

    def commit(self, artifact_id: int) -> Artifact:
        """Commit a PENDING version: list its files, number it, move ``latest`` and its aliases.

        Committing a COMMITTED version again changes nothing. Raises ArtifactError (and
        leaves the version PENDING) when the manifest or a listed file is missing, or
        when the manifest does not match the version's digest.
        """
        with self._db.transaction() as conn:
            artifact = self.get(artifact_id)
            if artifact is not None and artifact.state == "COMMITTED":
                return artifact
            artifact = self._pending(artifact_id)
            entries = self._checked_entries(artifact)
            now = utc_now()
            conn.executemany(
                "INSERT INTO artifact_files (artifact_id, name, md5, md5_hex, size,"
                " birth_artifact_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (artifact_id, e.path, e.digest, b64_to_hex(e.digest), e.size, artifact_id, now)
                    for e in entries
                ],
            )
            index = conn.execute(
                "SELECT COALESCE(MAX(version_index) + 1, 0) FROM artifacts"
                " WHERE collection_id = ?",
                (artifact.collection_id,),
            ).fetchone()[0]
            pending = json.loads(
                conn.execute(
                    "SELECT pending_aliases FROM artifacts WHERE id = ?", (artifact_id,)
                ).fetchone()[0]
            )
            conn.execute(
                "UPDATE artifacts SET state = 'COMMITTED', version_index = ?, size = ?,"
                " file_count = ?, pending_aliases = '[]', updated_at = ? WHERE id = ?",
                (index, sum(e.size for e in entries), len(entries), now, artifact_id),
            )
            self._move_aliases(conn, artifact.collection_id, artifact_id, [LATEST, *pending])
        committed = self.get(artifact_id)
        assert committed is not None
        return committed

    def _checked_entries(self, artifact: Artifact) -> list[ManifestEntry]:
        document = self.manifest(artifact.id)
        if document is None:
            raise ArtifactError(
                f"cannot commit artifact {artifact.collection}: its manifest was never uploaded"
            )
        entries = parse_manifest(document)
        digest = manifest_digest({entry.path: entry.digest for entry in entries})
        if digest != artifact.digest:
            raise ArtifactError(
                f"cannot commit artifact {artifact.collection}: manifest digest {digest}"
                f" does not match the artifact digest {artifact.digest}"
            )
        missing = [
            entry.path for entry in entries
            if self._blobs.get(file_key(b64_to_hex(entry.digest))) is None
        ]
        if missing:
            raise ArtifactError(
                f"cannot commit artifact {artifact.collection}: files never uploaded:"
                f" {', '.join(sorted(missing))}"
            )
        return entries

    def add_aliases(self, artifact_id: int, aliases: Iterable[str]) -> None:
        """Put user aliases on a committed version, moving them off other versions."""
        artifact = self.get(artifact_id)
        if artifact is None or artifact.state != "COMMITTED":
            raise ArtifactError(f"artifact {artifact_id} is not a committed version")
        names = [check_alias(alias) for alias in aliases if alias != LATEST]
        with self._db.transaction() as conn:
            self._move_aliases(conn, artifact.collection_id, artifact_id, names)

    @staticmethod
    def _add_tags(conn: sqlite3.Connection, artifact_id: int, tags: Iterable[str]) -> None:
        current = json.loads(
            conn.execute("SELECT tags FROM artifacts WHERE id = ?", (artifact_id,)).fetchone()[0]
        )
        merged = list(dict.fromkeys([*current, *tags]))
        conn.execute(
            "UPDATE artifacts SET tags = ? WHERE id = ?", (json.dumps(merged), artifact_id)
        )

    @staticmethod
    def _move_aliases(
        conn: sqlite3.Connection, collection_id: int, artifact_id: int, aliases: Iterable[str]
    ) -> None:
        conn.executemany(
            "INSERT INTO artifact_aliases (collection_id, alias, artifact_id) VALUES (?, ?, ?)"
            " ON CONFLICT (collection_id, alias) DO UPDATE SET artifact_id = excluded.artifact_id",
            [(collection_id, alias, artifact_id) for alias in aliases],
        )

    def log(
        self,
        entity: str,
        project: str,
        *,
        collection: str,
        type_name: str,
        files: Mapping[str, bytes],
        run_id: int | None = None,
        aliases: Iterable[str] = (),
        **fields: Any,
    ) -> Artifact:
        """Create, upload and commit a version in one call (seeding and tests).

        ``fields`` are the optional keyword arguments of :meth:`create`. Logging
        contents identical to a committed version returns that version.
        """
        digests = {check_file_name(name): md5_b64(data) for name, data in files.items()}
        artifact = self.create(
            entity, project, collection=collection, type_name=type_name,
            digest=manifest_digest(digests), run_id=run_id, aliases=aliases, **fields,
        )
        if artifact.state == "COMMITTED":
            return artifact
        for data in files.values():
            self.put_file(hashlib.md5(data).hexdigest(), data)
        entries = [
            ManifestEntry(name, digests[name], len(data), None) for name, data in files.items()
        ]
        self.put_manifest(artifact.id, build_manifest(entries))
        return self.commit(artifact.id)

    # -- files ------------------------------------------------------------------------------

    def files(
        self,
        artifact_id: int,
        *,
        names: Iterable[str] | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> list[ArtifactFile]:
        """Files of a version by name: those after name ``after``, at most ``limit``."""
        where, params = ["artifact_id = ?"], [artifact_id]
        if names is not None:
            wanted = list(names)
            where.append(f"name IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if after is not None:
            where.append("name > ?")
            params.append(after)
        rows = self._db.execute(
            f"SELECT * FROM artifact_files WHERE {' AND '.join(where)} ORDER BY name LIMIT ?",
            (*params, limit),
        )
        return [ArtifactFile(**dict(row)) for row in rows]

    def file_contents(self, md5_hex: str) -> bytes | None:
        """The stored bytes with this MD5, or ``None``."""
        return self._blobs.get(file_key(md5_hex))

    # -- lineage ----------------------------------------------------------------------------

    @staticmethod
    def _link(
        conn: sqlite3.Connection, run_id: int, artifact_id: int, direction: str,
        used_as: str | None = None,
    ) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO artifact_lineage"
            " (run_id, artifact_id, direction, used_as, created_at) VALUES (?, ?, ?, ?, ?)",
            (run_id, artifact_id, direction, used_as, utc_now()),
        )

    def _linked(self, run_id: int, direction: str) -> list[Artifact]:
        rows = self._db.execute(
            _SELECT.replace(
                "FROM artifacts a",
                "FROM artifact_lineage l JOIN artifacts a ON a.id = l.artifact_id",
            )
            + " WHERE l.run_id = ? AND l.direction = ? AND a.state = 'COMMITTED'"
            " ORDER BY l.rowid",
            (run_id, direction),
        )
        return [_record(row) for row in rows]

    def logged_by_run(self, run_id: int) -> list[Artifact]:
        """The committed versions a run logged (or declared as its output), in that order."""
        return self._linked(run_id, "output")

    def used_by_run(self, run_id: int) -> list[Artifact]:
        """The versions a run used, in the order it first used them."""
        return self._linked(run_id, "input")

    def users(self, artifact_id: int) -> list[int]:
        """Storage ids of the runs that used a version, in the order they used it."""
        rows = self._db.execute(
            "SELECT run_id FROM artifact_lineage WHERE artifact_id = ? AND direction = 'input'"
            " ORDER BY rowid",
            (artifact_id,),
        )
        return [row[0] for row in rows]

    def use(self, run_id: int, artifact_id: int, used_as: str | None = None) -> None:
        """Record that a run used a committed version (again: no change)."""
        artifact = self.get(artifact_id)
        if artifact is None or artifact.state != "COMMITTED":
            raise ArtifactError(f"artifact {artifact_id} is not a committed version")
        with self._db.transaction() as conn:
            self._link(conn, run_id, artifact_id, "input", used_as)

    def delete_logged_by(self, run_id: int) -> int:
        """Delete the versions a run created (with their files and aliases); returns how many.

        ``latest`` moves to the newest remaining version of each collection touched.
        """
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT id, collection_id FROM artifacts WHERE created_by_run_id = ?", (run_id,)
            ).fetchall()
            conn.executemany("DELETE FROM artifacts WHERE id = ?", [(row[0],) for row in rows])
            for collection_id in {row[1] for row in rows}:
                newest = self.latest(collection_id)
                if newest is not None:
                    self._move_aliases(conn, collection_id, newest.id, [LATEST])
        for row in rows:
            self._blobs.delete(manifest_key(row[0]))
        return len(rows)
