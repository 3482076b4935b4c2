"""Artifacts: types, collections, versions (PENDING -> COMMITTED), aliases and file lists.

Committing a version checks that its manifest and every file it lists have arrived
(see :mod:`emulator.store.artifacts.contents`), then lists the files, numbers the version
and moves its aliases, all in one transaction. The tables are in
:mod:`emulator.store.artifacts.schema`, lineage in
:mod:`emulator.store.artifacts.lineage`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from emulator.store.artifacts.catalog import ArtifactCatalog
from emulator.store.artifacts.contents import ArtifactContents
from emulator.store.artifacts.deletion import ArtifactDeletion
from emulator.store.artifacts.editing import ArtifactEditing, expires_at
from emulator.store.artifacts.lineage import OUTPUT, ArtifactLineage, link
from emulator.store.artifacts.links import ArtifactLinks, move_aliases
from emulator.store.artifacts.manifests import (
    ArtifactError,
    ManifestEntry,
    build_manifest,
    check_alias,
    check_file_name,
    manifest_digest,
    md5_b64,
    parse_manifest,
    split_name,
    version_index,
)
from emulator.store.artifacts.records import (
    LATEST,
    Artifact,
    ArtifactCollection,
    ArtifactFile,
    Membership,
)
from emulator.store.artifacts.schema import SELECT, record
from emulator.store.blobs import BlobStore
from emulator.store.database import Database, inserted_id
from emulator.store.projects import ProjectStore
from emulator.store.timestamps import utc_now


class ArtifactStore(ArtifactCatalog):
    """Reads and writes artifact versions; file contents go to the shared :class:`BlobStore`.

    Types and collections come from :class:`ArtifactCatalog`; ``contents`` holds the
    bytes and ``lineage`` the runs that logged and used each version.
    """

    def __init__(self, db: Database, blobs: BlobStore) -> None:
        super().__init__(db)
        self._projects = ProjectStore(db)
        self.contents = ArtifactContents(blobs)
        self.lineage = ArtifactLineage(db, SELECT, record)
        self.links = ArtifactLinks(db, self)
        self.deletion = ArtifactDeletion(db, self.contents)
        self.editing = ArtifactEditing(db, self)

    # -- versions ---------------------------------------------------------------------------

    def get(self, artifact_id: int) -> Artifact | None:
        """The version with storage id ``artifact_id`` (any state), or ``None``."""
        row = self._db.one(SELECT + " WHERE a.id = ?", (artifact_id,))
        return None if row is None else record(row)

    def expire_due(self) -> list[int]:
        """Delete the versions whose TTL has run out, as W&B does; returns their ids."""
        now = datetime.now(timezone.utc)
        rows = self._db.execute(SELECT + " WHERE a.ttl_duration_seconds > 0")
        expired = [a for a in map(record, rows) if (when := expires_at(a)) and when <= now]
        for artifact in expired:
            self.deletion.delete_version(artifact, delete_aliases=True)
        return [artifact.id for artifact in expired]

    def latest(self, collection_id: int) -> Artifact | None:
        """The newest committed version of a collection, or ``None``."""
        row = self._db.one(
            SELECT + " WHERE a.collection_id = ? AND a.state = 'COMMITTED'"
            " ORDER BY a.version_index DESC LIMIT 1",
            (collection_id,),
        )
        return None if row is None else record(row)

    def resolve(self, collection_id: int, alias: str) -> Artifact | None:
        """The committed version named by ``vN``, an alias or a digest, or ``None``."""
        index = version_index(alias)
        if index is not None:
            where = "a.version_index = ?"
            params: list[Any] = [index]
        else:
            where = (
                "(a.id = (SELECT artifact_id FROM artifact_aliases"
                " WHERE collection_id = a.collection_id AND alias = ?) OR a.digest = ?)"
            )
            params = [alias, alias]
        row = self._db.one(
            SELECT + f" WHERE a.collection_id = ? AND a.state = 'COMMITTED' AND {where}"
            " ORDER BY a.version_index DESC LIMIT 1",
            (collection_id, *params),
        )
        return None if row is None else record(row)

    def by_name(self, project_id: int, name: str) -> Artifact | None:
        """The committed version ``"coll:alias"`` of a project (of a sequence, or linked
        in a portfolio), or ``None``.

        Raises ArtifactError when ``name`` is not of that form.
        """
        found = self.membership_by_name(project_id, name)
        return None if found is None else found.artifact

    def membership_by_name(self, project_id: int, name: str) -> Membership | None:
        """The member ``"coll:alias"`` of a project's sequence or portfolio, or ``None``.

        Raises ArtifactError when ``name`` is not of that form.
        """
        collection_name, alias = split_name(name)
        collection = self.collection(project_id, collection_name)
        return None if collection is None else self.member(collection, alias)

    def member(self, collection: ArtifactCollection, alias: str) -> Membership | None:
        """The member of a collection named ``vN``, by an alias or by its digest."""
        if collection.portfolio:
            return self.links.member(collection, alias)
        found = self.resolve(collection.id, alias)
        return None if found is None else self.links.of_sequence(found)

    def members(self, collection: ArtifactCollection) -> list[Membership]:
        """The members of a collection, newest first."""
        if collection.portfolio:
            return self.links.members(collection)
        return [self.links.of_sequence(version) for version in self.versions(collection.id)]

    def memberships(self, artifact: Artifact) -> list[Membership]:
        """Every collection a committed version is a member of: its sequence, then links."""
        return [self.links.of_sequence(artifact), *self.links.links_of(artifact.id)]

    def versions(self, collection_id: int) -> list[Artifact]:
        """The committed versions of a collection, newest first."""
        rows = self._db.execute(
            SELECT + " WHERE a.collection_id = ? AND a.state = 'COMMITTED'"
            " ORDER BY a.version_index DESC",
            (collection_id,),
        )
        return [record(row) for row in rows]

    def aliases(self, artifact_id: int, collection_id: int | None = None) -> list[str]:
        """The aliases on a version (in one collection if given; ``latest`` first, then
        by name)."""
        where, params = "artifact_id = ?", [artifact_id]
        if collection_id is not None:
            where += " AND collection_id = ?"
            params.append(collection_id)
        rows = self._db.execute(
            f"SELECT alias FROM artifact_aliases WHERE {where} ORDER BY alias != ?, alias",
            (*params, LATEST),
        )
        return [row[0] for row in rows]

    def alias_collections(self, artifact_id: int) -> list[tuple[str, int]]:
        """Each alias on a version with the collection it is in, collection by collection."""
        rows = self._db.execute(
            "SELECT alias, collection_id FROM artifact_aliases WHERE artifact_id = ?"
            " ORDER BY collection_id, alias != ?, alias",
            (artifact_id, LATEST),
        )
        return [(row[0], row[1]) for row in rows]

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
        deduplicate: bool = True,
    ) -> Artifact:
        """A new PENDING version, or (with ``deduplicate``) the COMMITTED one of the
        collection with this digest.

        In the second case ``aliases`` and ``tags`` are applied to that version at once;
        otherwise they are kept until :meth:`commit`.
        """
        alias_list = [alias for alias in dict.fromkeys(aliases) if alias != LATEST]
        for alias in alias_list:
            check_alias(alias)
        with self._db.transaction() as conn:
            project_id = self._projects.ensure_project(entity, project).id
            collection_id = self.ensure_collection(conn, project_id, collection, type_name)
            existing = conn.execute(
                "SELECT id FROM artifacts WHERE collection_id = ? AND digest = ?"
                " AND state = 'COMMITTED' ORDER BY version_index DESC LIMIT 1",
                (collection_id, digest),
            ).fetchone()
            if existing is not None and deduplicate:
                artifact_id = existing[0]
                move_aliases(conn, collection_id, artifact_id, alias_list)
                self._add_tags(conn, artifact_id, tags)
            else:
                now = utc_now()
                cursor = conn.execute(
                    "INSERT INTO artifacts (collection_id, digest, state, description, metadata,"
                    " tags, ttl_duration_seconds, history_step, pending_aliases,"
                    " created_by_run_id, created_at, updated_at)"
                    " VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        collection_id,
                        digest,
                        description,
                        json.dumps(dict(metadata or {})),
                        json.dumps(list(tags)),
                        -1 if ttl_duration_seconds is None else ttl_duration_seconds,
                        history_step,
                        json.dumps(alias_list),
                        run_id,
                        now,
                        now,
                    ),
                )
                artifact_id = inserted_id(cursor)
            if run_id is not None:
                link(conn, run_id, artifact_id, OUTPUT)
        artifact = self.get(artifact_id)
        assert artifact is not None
        return artifact

    def committed(self, artifact_id: int) -> Artifact:
        """The COMMITTED version ``artifact_id``; ArtifactError if there is none."""
        artifact = self.get(artifact_id)
        if artifact is None or artifact.state != "COMMITTED":
            raise ArtifactError(f"artifact {artifact_id} is not a committed version")
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
        return not self.contents.has_file(md5)

    def set_manifest_base(self, artifact_id: int, base_artifact_id: int) -> None:
        """Record that a PENDING version's manifest only adds to a committed version's."""
        self._pending(artifact_id)
        base = self.committed(base_artifact_id)
        self._db.execute(
            "INSERT OR REPLACE INTO artifact_manifest_bases (artifact_id, base_artifact_id)"
            " VALUES (?, ?)",
            (artifact_id, base.id),
        )

    def _manifest_base(self, artifact_id: int) -> int | None:
        row = self._db.one(
            "SELECT base_artifact_id FROM artifact_manifest_bases WHERE artifact_id = ?",
            (artifact_id,),
        )
        return None if row is None else int(row[0])

    def put_manifest(self, artifact_id: int, data: bytes) -> None:
        """Store the manifest of a PENDING version after checking it; an incremental
        manifest is stored merged with its base version's files (its entries win)."""
        artifact = self._pending(artifact_id)
        base_id = self._manifest_base(artifact_id)
        if base_id is not None:
            added = parse_manifest(data)
            digest = manifest_digest({entry.path: entry.digest for entry in added})
            if digest != artifact.digest:
                raise ArtifactError(
                    f"incremental manifest of {artifact.collection} has digest {digest},"
                    f" not the artifact digest {artifact.digest}"
                )
            merged = {
                f.name: ManifestEntry(f.name, f.md5, f.size_bytes, str(f.birth_artifact_id), f.ref)
                for f in self.files(base_id, limit=2**31)
            }
            merged.update((entry.path, entry) for entry in added)
            data = build_manifest(list(merged.values()))
        self.contents.put_manifest(artifact_id, data)

    def commit(self, artifact_id: int, *, require_contents: bool = True) -> Artifact:
        """Commit a PENDING version: list its files, number it, move ``latest`` and its aliases.

        Committing a COMMITTED version again changes nothing. Raises ArtifactError (and
        leaves the version PENDING) when the manifest or a listed file is missing, or
        when the manifest does not match the version's digest. Without
        ``require_contents`` the files are listed even if their contents never arrived
        (a mirror that keeps artifacts' metadata only); downloading them answers 404.
        """
        with self._db.transaction() as conn:
            artifact = self.get(artifact_id)
            if artifact is not None and artifact.state == "COMMITTED":
                return artifact
            artifact = self._pending(artifact_id)
            entries = self.contents.committable_entries(
                artifact,
                check_digest=self._manifest_base(artifact_id) is None,
                require_contents=require_contents,
            )
            now = utc_now()
            conn.executemany(
                "INSERT INTO artifact_files (artifact_id, name, md5, md5_hex, size_bytes,"
                " birth_artifact_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (artifact_id, e.path, e.digest, e.md5_hex, e.size, artifact_id, now)
                    for e in entries
                ],
            )
            conn.executemany(
                "INSERT INTO artifact_file_refs (artifact_id, name, ref) VALUES (?, ?, ?)",
                [(artifact_id, e.path, e.ref) for e in entries if e.ref],
            )
            index = conn.execute(
                "SELECT next_version FROM artifact_collections WHERE id = ?",
                (artifact.collection_id,),
            ).fetchone()[0]
            conn.execute(
                "UPDATE artifact_collections SET next_version = ? WHERE id = ?",
                (index + 1, artifact.collection_id),
            )
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
            move_aliases(conn, artifact.collection_id, artifact_id, [LATEST, *pending])
        committed = self.get(artifact_id)
        assert committed is not None
        return committed

    @staticmethod
    def _add_tags(conn: sqlite3.Connection, artifact_id: int, tags: Iterable[str]) -> None:
        current = json.loads(
            conn.execute("SELECT tags FROM artifacts WHERE id = ?", (artifact_id,)).fetchone()[0]
        )
        merged = list(dict.fromkeys([*current, *tags]))
        conn.execute(
            "UPDATE artifacts SET tags = ? WHERE id = ?", (json.dumps(merged), artifact_id)
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
        for data in files.values():
            self.contents.put_file(hashlib.md5(data).hexdigest(), data)
        entries = [
            ManifestEntry(check_file_name(name), md5_b64(data), len(data), None)
            for name, data in files.items()
        ]
        return self.log_listing(
            entity,
            project,
            collection=collection,
            type_name=type_name,
            entries=entries,
            run_id=run_id,
            aliases=aliases,
            **fields,
        )

    def log_listing(
        self,
        entity: str,
        project: str,
        *,
        collection: str,
        type_name: str,
        entries: Sequence[ManifestEntry],
        run_id: int | None = None,
        aliases: Iterable[str] = (),
        **fields: Any,
    ) -> Artifact:
        """Create and commit a version listing ``entries``, whatever contents are stored.

        :meth:`log` stores the contents first; a mirror keeping artifacts' metadata only
        lists files whose contents it never fetched.
        """
        digest = manifest_digest({entry.path: entry.digest for entry in entries})
        artifact = self.create(
            entity,
            project,
            collection=collection,
            type_name=type_name,
            digest=digest,
            run_id=run_id,
            aliases=aliases,
            **fields,
        )
        if artifact.state == "COMMITTED":
            return artifact
        self.put_manifest(artifact.id, build_manifest(entries))
        return self.commit(artifact.id, require_contents=False)

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
        where = ["f.artifact_id = ?"]
        params: list[Any] = [artifact_id]
        if names is not None:
            wanted = list(names)
            where.append(f"f.name IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if after is not None:
            where.append("f.name > ?")
            params.append(after)
        rows = self._db.execute(
            "SELECT f.*, r.ref FROM artifact_files f LEFT JOIN artifact_file_refs r"
            " ON r.artifact_id = f.artifact_id AND r.name = f.name"
            f" WHERE {' AND '.join(where)} ORDER BY f.name LIMIT ?",
            (*params, limit),
        )
        return [ArtifactFile(**dict(row)) for row in rows]

    def delete_logged_by(self, run_id: int) -> list[int]:
        """Delete the rows of the versions a run created (with their file lists and aliases);
        returns their ids, whose manifests the caller deletes once the transaction commits.

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
                    move_aliases(conn, collection_id, newest.id, [LATEST])
        return [row[0] for row in rows]
