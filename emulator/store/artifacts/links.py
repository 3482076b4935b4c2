"""Memberships of versions in collections, and links of versions into portfolios.

A version is a member of its own sequence (with its own version index) and of every
portfolio it is linked in, where the link has the portfolio's next version index, so
``registered-model:v0`` may be ``mnist:v3``. Aliases are per collection (the
``artifact_aliases`` table), ``latest`` included: it names the newest link of a
portfolio. The legacy model registry is the ``model-registry`` project of an entity,
whose portfolios are the registered models.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from emulator.store.artifacts.catalog import ArtifactCatalog
from emulator.store.artifacts.manifests import ArtifactError, check_alias, version_index
from emulator.store.artifacts.records import LATEST, Artifact, ArtifactCollection, Membership
from emulator.store.artifacts.schema import SELECT, record
from emulator.store.database import Database
from emulator.store.projects import ProjectStore
from emulator.store.registries import RegistryStore
from emulator.store.timestamps import utc_now

_LINKED = SELECT.replace(
    "FROM artifacts a", "FROM artifact_links k JOIN artifacts a ON a.id = k.artifact_id"
).replace(
    "SELECT a.*,",
    "SELECT k.version_index AS link_index, k.created_at AS linked_at,"
    " k.collection_id AS portfolio_id, a.*,",
)


def move_aliases(
    conn: sqlite3.Connection, collection_id: int, artifact_id: int, aliases: Iterable[str]
) -> None:
    """Point ``aliases`` of a collection at a version (moving them off any other)."""
    conn.executemany(
        "INSERT INTO artifact_aliases (collection_id, alias, artifact_id) VALUES (?, ?, ?)"
        " ON CONFLICT (collection_id, alias) DO UPDATE SET artifact_id = excluded.artifact_id",
        [(collection_id, alias, artifact_id) for alias in aliases],
    )


def move_latest(conn: sqlite3.Connection, collection_id: int) -> None:
    """Point ``latest`` of a collection at its newest member (or nothing when empty)."""
    row = (
        conn.execute(
            "SELECT artifact_id FROM artifact_links WHERE collection_id = ?"
            " ORDER BY version_index DESC LIMIT 1",
            (collection_id,),
        ).fetchone()
        or conn.execute(
            "SELECT id FROM artifacts WHERE collection_id = ? AND state = 'COMMITTED'"
            " ORDER BY version_index DESC LIMIT 1",
            (collection_id,),
        ).fetchone()
    )
    if row is None:
        conn.execute(
            "DELETE FROM artifact_aliases WHERE collection_id = ? AND alias = ?",
            (collection_id, LATEST),
        )
    else:
        move_aliases(conn, collection_id, row[0], [LATEST])


class ArtifactLinks:
    """Reads memberships and links versions into portfolios."""

    def __init__(self, db: Database, catalog: ArtifactCatalog) -> None:
        self._db = db
        self._catalog = catalog
        self._projects = ProjectStore(db)
        self._registries = RegistryStore(db)

    def _linked(self, where: str, params: Iterable[object]) -> list[Membership]:
        rows = self._db.execute(
            _LINKED + f" WHERE {where} ORDER BY k.version_index DESC", tuple(params)
        )
        memberships = []
        for row in rows:
            data = dict(row)
            index, linked_at = data.pop("link_index"), data.pop("linked_at")
            portfolio = self._catalog.collection_by_id(data.pop("portfolio_id"))
            assert portfolio is not None
            memberships.append(Membership(portfolio, record(data), index, linked_at))
        return memberships

    def of_sequence(self, artifact: Artifact) -> Membership:
        """A committed version as a member of its own sequence."""
        collection = self._catalog.collection_by_id(artifact.collection_id)
        assert collection is not None and artifact.version_index is not None
        return Membership(collection, artifact, artifact.version_index, artifact.created_at)

    def members(self, collection: ArtifactCollection) -> list[Membership]:
        """The linked versions of a portfolio, newest link first."""
        return self._linked("k.collection_id = ?", [collection.id])

    def links_of(self, artifact_id: int) -> list[Membership]:
        """The portfolios a version is linked in, as memberships, oldest link first."""
        return list(reversed(self._linked("k.artifact_id = ?", [artifact_id])))

    def member(self, collection: ArtifactCollection, name: str) -> Membership | None:
        """The member of a portfolio named ``vN``, by an alias or by its digest."""
        index = version_index(name)
        if index is not None:
            found = self._linked(
                "k.collection_id = ? AND k.version_index = ?", [collection.id, index]
            )
        else:
            found = self._linked(
                "k.collection_id = ? AND (a.id = (SELECT artifact_id FROM artifact_aliases"
                " WHERE collection_id = k.collection_id AND alias = ?) OR a.digest = ?)",
                [collection.id, name, name],
            )
        return found[0] if found else None

    def link(
        self,
        artifact: Artifact,
        entity: str,
        project: str,
        portfolio: str,
        aliases: Iterable[str] = (),
    ) -> Membership:
        """Link a committed version into portfolio ``entity/project/portfolio`` (created,
        with the version's type, if missing) and point ``latest`` and ``aliases`` there at
        it. Linking a version already linked there applies the aliases to that link.

        ArtifactError when the version is not committed, or the target is a sequence or
        a portfolio of another type, or the target is a registry that is missing or
        does not accept the version's type.
        """
        if artifact.state != "COMMITTED":
            raise ArtifactError(
                f"artifact {artifact.id} is {artifact.state}, only committed versions can be linked"
            )
        alias_list = [a for a in dict.fromkeys(aliases) if a != LATEST]
        for alias in alias_list:
            check_alias(alias)
        self._registries.check_link(entity, project, artifact.type)
        with self._db.transaction() as conn:
            project_id = self._projects.ensure_project(entity, project).id
            collection_id = self._catalog.ensure_collection(
                conn, project_id, portfolio, artifact.type, portfolio=True
            )
            existing = conn.execute(
                "SELECT version_index FROM artifact_links WHERE collection_id = ?"
                " AND artifact_id = ?",
                (collection_id, artifact.id),
            ).fetchone()
            if existing is None:
                index = conn.execute(
                    "SELECT next_version FROM artifact_collections WHERE id = ?",
                    (collection_id,),
                ).fetchone()[0]
                conn.execute(
                    "UPDATE artifact_collections SET next_version = ? WHERE id = ?",
                    (index + 1, collection_id),
                )
                conn.execute(
                    "INSERT INTO artifact_links (collection_id, artifact_id, version_index,"
                    " created_at) VALUES (?, ?, ?, ?)",
                    (collection_id, artifact.id, index, utc_now()),
                )
                move_latest(conn, collection_id)
            move_aliases(conn, collection_id, artifact.id, alias_list)
        collection = self._catalog.collection_by_id(collection_id)
        assert collection is not None
        found = [m for m in self.members(collection) if m.artifact.id == artifact.id]
        return found[0]

    def unlink(self, artifact_id: int, collection: ArtifactCollection) -> None:
        """Remove a version from a portfolio (with its aliases there); ArtifactError when
        the collection is not a portfolio or the version is not linked in it."""
        if not collection.portfolio:
            raise ArtifactError(
                f"artifact collection {collection.name!r} is a sequence: versions are"
                " deleted from it, not unlinked"
            )
        with self._db.transaction() as conn:
            deleted = conn.execute(
                "DELETE FROM artifact_links WHERE collection_id = ? AND artifact_id = ?",
                (collection.id, artifact_id),
            ).rowcount
            if not deleted:
                raise ArtifactError(f"artifact {artifact_id} is not linked in {collection.name!r}")
            conn.execute(
                "DELETE FROM artifact_aliases WHERE collection_id = ? AND artifact_id = ?",
                (collection.id, artifact_id),
            )
            move_latest(conn, collection.id)
