"""Deleting versions and collections, and the file contents no version holds any more.

Rules (W&B's): a version with aliases other than ``latest`` is deleted only when the
caller also asks to delete its aliases; deleting a version removes its links from every
portfolio, and ``latest`` moves to the newest remaining member of each collection it
was in. Deleting a portfolio removes only its links; deleting a sequence deletes its
versions. Rows go in one transaction; blobs (manifests, and file contents no remaining
version lists) after it commits, so a failure leaves nothing half-deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from emulator.store.artifacts.contents import ArtifactContents
from emulator.store.artifacts.links import move_latest
from emulator.store.artifacts.manifests import ArtifactError
from emulator.store.artifacts.records import LATEST, Artifact, ArtifactCollection
from emulator.store.database import Database


class ArtifactDeletion:
    """Deletes versions and collections with their blobs."""

    def __init__(self, db: Database, contents: ArtifactContents) -> None:
        self._db = db
        self._contents = contents

    def delete_version(self, artifact: Artifact, *, delete_aliases: bool = False) -> None:
        """Delete a version (any state) from its sequence and every portfolio.

        ArtifactError when it has aliases other than ``latest`` and ``delete_aliases``
        is false.
        """
        aliases = self._db.execute(
            "SELECT alias FROM artifact_aliases WHERE artifact_id = ? AND alias != ?"
            " ORDER BY alias",
            (artifact.id, LATEST),
        )
        if aliases and not delete_aliases:
            names = ", ".join(sorted({row[0] for row in aliases}))
            raise ArtifactError(
                f"cannot delete artifact {artifact.collection}:{artifact.version or artifact.id}"
                f" because it has aliases ({names}): delete them first, or delete the"
                " artifact with delete_aliases=True"
            )
        with self._db.transaction() as conn:
            md5s = _file_md5s(conn, [artifact.id])
            collections = {artifact.collection_id} | {
                row[0]
                for row in conn.execute(
                    "SELECT collection_id FROM artifact_links WHERE artifact_id = ?",
                    (artifact.id,),
                )
            }
            conn.execute("DELETE FROM artifacts WHERE id = ?", (artifact.id,))
            for collection_id in collections:
                move_latest(conn, collection_id)
        self._drop_blobs([artifact.id], md5s)

    def delete_collection(self, collection: ArtifactCollection) -> None:
        """Delete a collection: a portfolio's links, or a sequence's versions (and their
        links everywhere)."""
        with self._db.transaction() as conn:
            versions = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM artifacts WHERE collection_id = ?", (collection.id,)
                )
            ]
            md5s = _file_md5s(conn, versions)
            touched = {
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT collection_id FROM artifact_links WHERE artifact_id IN"
                    " (SELECT id FROM artifacts WHERE collection_id = ?)",
                    (collection.id,),
                )
            }
            conn.execute("DELETE FROM artifact_collections WHERE id = ?", (collection.id,))
            for collection_id in touched - {collection.id}:
                move_latest(conn, collection_id)
        self._drop_blobs(versions, md5s)

    def _drop_blobs(self, artifact_ids: list[int], md5s: Iterable[str]) -> None:
        self._contents.delete_manifests(artifact_ids)
        for md5_hex in md5s:
            if self._db.one("SELECT 1 FROM artifact_files WHERE md5_hex = ?", (md5_hex,)) is None:
                self._contents.delete_file(md5_hex)


def _file_md5s(conn: sqlite3.Connection, artifact_ids: list[int]) -> set[str]:
    marks = ", ".join("?" * len(artifact_ids))
    if not artifact_ids:
        return set()
    rows = conn.execute(
        f"SELECT DISTINCT md5_hex FROM artifact_files WHERE artifact_id IN ({marks})"
        " AND md5_hex != ''",  # reference entries store no bytes
        artifact_ids,
    )
    return {row[0] for row in rows}
