"""Artifacts: versions read from the server, and new versions built from local files."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from client._organizations import REGISTRY_PREFIX, registry_entity
from client._paginator import ConnectionPaginator
from client._references import is_reference, read_reference
from client._session import RunLike, Session
from client.errors import CommError, InvalidPathError, NotFoundError, UsageError
from client.files import local_path

_VERSION_ALIAS = re.compile(r"v\d+")

#: Files per request when listing or downloading a version's files.
FILES_PER_PAGE = 1000


def md5_b64(data: bytes) -> str:
    """The base64 MD5 of ``data``, the form manifests use."""
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def manifest_digest(entries: Mapping[str, str]) -> str:
    """The digest of a version with files ``{path: base64 md5}`` (W&B's ``MANIFEST_MD5``)."""
    lines = "".join(f"{path}:{entries[path]}\n" for path in sorted(entries))
    return hashlib.md5(("wandb-artifact-manifest-v1\n" + lines).encode()).hexdigest()


def _entry_name(name: str) -> str:
    path = PurePosixPath(name.replace(os.sep, "/"))
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise UsageError(f"invalid artifact file name {name!r}: must be a relative path")
    return path.as_posix()


class ArtifactFile:
    """A file of a committed version: name, size, MD5 and download URL."""

    def __init__(self, session: Session, attrs: Mapping[str, Any]) -> None:
        """Wrap the GraphQL ``File`` node ``attrs``."""
        self._session = session
        self.name: str = attrs["name"]
        self.size: int = attrs["sizeBytes"]
        self.md5: str = attrs["md5"]
        self.url: str = attrs["directUrl"]
        #: Where a reference entry's bytes live (``add_reference``), else ``None``.
        self.ref: str | None = (
            attrs["directUrl"] if is_reference(attrs.get("storagePath")) else None
        )

    def download(self, root: str | os.PathLike[str] = ".") -> Path:
        """Write the file under ``root`` (keeping its relative path) and return its path.

        Raises:
            CommError: if the download fails or its bytes do not match the file's MD5,
                or the file is a cloud reference (see :mod:`client._references`).
            UsageError: if the name would put the file outside ``root``.
        """
        target = local_path(root, self.name)
        if self.ref is not None:
            data = read_reference(self.ref)
        else:
            data = self._session.graphql.transfer("GET", self.url)
        if self.ref is None and md5_b64(data) != self.md5:
            raise CommError(f"downloaded {self.name!r} does not match its md5 {self.md5}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target

    def __repr__(self) -> str:
        return f"<ArtifactFile {self.name} ({self.size} bytes)>"


class Artifact:
    """An artifact version.

    ``Artifact(name, type)`` starts a new version: add local files with :meth:`add_file`
    and :meth:`add_dir`, then log it with :meth:`client.Run.log_artifact`. Versions read
    from the server come from :meth:`client.Api.artifact`, :meth:`client.Run.logged_artifacts`
    and friends.
    """

    def __init__(
        self,
        name: str,
        type: str,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        """A new, empty version of artifact ``name`` (no ``:`` or ``/``) of type ``type``."""
        if not name or ":" in name or "/" in name:
            raise UsageError(f"invalid artifact name {name!r}: no ':' or '/' allowed")
        self._collection = name
        self._type = type
        self._description = description
        self._metadata = dict(metadata or {})
        self._session: Session | None = None
        self._attrs: dict[str, Any] = {}
        self._local: dict[str, Path] = {}
        self._requested: str | None = None
        self._membership: dict[str, Any] = {}

    @classmethod
    def from_attrs(
        cls, session: Session, attrs: Mapping[str, Any], name: str | None = None
    ) -> Artifact:
        """A version read from the server, from its GraphQL ``ArtifactFragment``.

        ``name`` is the ``collection:alias`` it was asked for by (default ``collection:vN``).
        """
        metadata = attrs.get("metadata")
        artifact = cls(
            attrs["artifactSequence"]["name"],
            attrs["artifactType"]["name"],
            attrs.get("description"),
            json.loads(metadata) if isinstance(metadata, str) else metadata,
        )
        artifact._session = session
        artifact._attrs = dict(attrs)
        artifact._requested = name
        return artifact

    @classmethod
    def from_membership(
        cls, session: Session, membership: Mapping[str, Any], name: str | None = None
    ) -> Artifact:
        """A version as read through a collection membership (its sequence, or a
        portfolio it is linked in), from a ``MembershipFragment``."""
        artifact = cls.from_attrs(session, membership["artifact"], name)
        artifact._membership = dict(membership)
        return artifact

    def _viewed(self) -> dict[str, Any]:
        """The collection the version was read through (its sequence unless a link)."""
        found: dict[str, Any] = (
            self._membership.get("artifactCollection") or self._attrs["artifactSequence"]
        )
        return found

    @property
    def is_link(self) -> bool:
        """Whether the version was read through a portfolio it is linked in."""
        collection = self._membership.get("artifactCollection") or {}
        return collection.get("__typename") == "ArtifactPortfolio"

    def link(self, target_path: str, aliases: Iterable[str] = ()) -> Artifact:
        """Link the version into portfolio ``[[entity/]project/]name`` (created if
        missing; entity and project default to the version's); returns the link.

        Raises:
            InvalidPathError: if ``target_path`` is not of that form.
        """
        parts = target_path.split("/")
        if not all(parts) or not 2 <= len(parts) <= 3 or ":" in target_path:
            raise InvalidPathError(
                f"invalid link target {target_path!r}: expected [entity/]project/name"
            )
        session = self._server()
        if len(parts) == 3:
            entity, project, name = parts
        elif parts[0].startswith(REGISTRY_PREFIX):
            # As the SDK: a registry without an entity is the version's organization's.
            entity, project, name = registry_entity(session, self.entity), *parts
        else:
            entity, project, name = self.entity or "", *parts
        data = session.graphql.execute(
            "LinkArtifact",
            {
                "input": {
                    "artifactID": self.id,
                    "entityName": entity,
                    "projectName": project,
                    "artifactPortfolioName": name,
                    "aliases": [{"artifactCollectionName": name, "alias": a} for a in aliases],
                }
            },
        )
        membership = (data.get("linkArtifact") or {}).get("artifactMembership")
        if membership is None:
            raise CommError(f"linking {self.qualified_name} to {target_path} returned nothing")
        version = f"{name}:v{membership['versionIndex']}"
        return Artifact.from_membership(session, membership, version)

    def unlink(self) -> None:
        """Remove this link from its portfolio (the source version stays).

        Raises:
            UsageError: if the version was not read through a portfolio.
        """
        if not self.is_link:
            raise UsageError(f"artifact {self.qualified_name!r} is not a linked artifact")
        self._server().graphql.execute(
            "UnlinkArtifact",
            {"input": {"artifactID": self.id, "artifactPortfolioID": self._viewed()["id"]}},
        )

    def delete(self, delete_aliases: bool = False) -> None:
        """Delete the version (a link: only unlink it). The server refuses a version with
        aliases other than ``latest`` unless ``delete_aliases``."""
        if self.is_link:
            self.unlink()
            return
        self._server().graphql.execute(
            "DeleteArtifact", {"input": {"artifactID": self.id, "deleteAliases": delete_aliases}}
        )

    def _server(self) -> Session:
        if self._session is None:
            raise UsageError(f"artifact {self._collection!r} has not been logged yet")
        return self._session

    # Identity.

    def is_draft(self) -> bool:
        """Whether this version only exists locally."""
        return self._session is None

    @property
    def id(self) -> str | None:
        """The server's id of the version (``None`` for a draft)."""
        return self._attrs.get("id")

    @property
    def entity(self) -> str | None:
        """The entity of the version's project."""
        return self._viewed()["project"]["entity"]["name"] if self._attrs else None

    @property
    def project(self) -> str | None:
        """The project the version belongs to."""
        return self._viewed()["project"]["name"] if self._attrs else None

    @property
    def collection_name(self) -> str:
        """The artifact's name without version (the portfolio's, for a link)."""
        return str(self._viewed()["name"]) if self._attrs else self._collection

    @property
    def version(self) -> str | None:
        """``v<N>`` once committed (in the portfolio, for a link)."""
        index = self._membership.get("versionIndex", self._attrs.get("versionIndex"))
        return None if index is None else f"v{index}"

    @property
    def source_name(self) -> str:
        """``name:vN`` of the version in its own sequence, the bare name for a draft."""
        index = self._attrs.get("versionIndex")
        return self._collection if index is None else f"{self._collection}:v{index}"

    @property
    def name(self) -> str:
        """``name:alias`` as asked for in :meth:`client.Api.artifact`, else :attr:`source_name`."""
        return self._requested or self.source_name

    @property
    def qualified_name(self) -> str:
        """``entity/project/`` followed by :attr:`name`."""
        return f"{self.entity}/{self.project}/{self.name}"

    @property
    def type(self) -> str:
        """The artifact type, e.g. ``dataset`` or ``model``."""
        return self._type

    @property
    def state(self) -> str:
        """``PENDING`` (drafts too) or ``COMMITTED``."""
        value: str = self._attrs.get("state", "PENDING")
        return value

    @property
    def aliases(self) -> list[str]:
        """Aliases on the version in the collection it was read through, ``latest``
        included when it is the newest there; the version alias ``vN`` servers also list
        is left out, as the SDK does."""
        viewed = self._viewed() if self._attrs else {}
        return [
            alias["alias"]
            for alias in self._attrs.get("aliases") or []
            if (
                alias.get("artifactCollection") is None
                or _same_collection(alias["artifactCollection"], viewed)
            )
            and not _VERSION_ALIAS.fullmatch(alias["alias"])
        ]

    @property
    def tags(self) -> list[str]:
        """Tags of the version."""
        return [tag["name"] for tag in self._attrs.get("tags") or []]

    @property
    def description(self) -> str | None:
        """The version's description."""
        return self._description

    @property
    def metadata(self) -> dict[str, Any]:
        """User metadata of the version."""
        return self._metadata

    @property
    def created_at(self) -> str | None:
        """ISO timestamp of the version's creation."""
        return self._attrs.get("createdAt")

    @property
    def file_count(self) -> int:
        """How many files the version holds."""
        return self._attrs["fileCount"] if self._attrs else len(self._local)

    @property
    def size(self) -> int:
        """Total bytes of the version's files."""
        if self._attrs:
            return int(self._attrs["size"])
        return sum(path.stat().st_size for path in self._local.values())

    @property
    def digest(self) -> str:
        """The version's content digest: equal contents, equal digests."""
        if self._attrs:
            value: str = self._attrs["digest"]
            return value
        return manifest_digest(
            {name: md5_b64(path.read_bytes()) for name, path in self._local.items()}
        )

    # Building a new version.

    def add_file(self, local_path: str | os.PathLike[str], name: str | None = None) -> None:
        """Add a local file, stored as ``name`` (default: its file name).

        Raises:
            UsageError: if the version is not a draft, the file is missing, or ``name``
                is not a relative path.
        """
        if not self.is_draft():
            raise UsageError("cannot add files to an artifact that has been logged")
        path = Path(local_path)
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        self._local[_entry_name(name or path.name)] = path

    def add_dir(self, local_path: str | os.PathLike[str], name: str | None = None) -> None:
        """Add every file under a local directory, below the prefix ``name`` if given."""
        root = Path(local_path)
        if not root.is_dir():
            raise UsageError(f"no such directory: {root}")
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root).as_posix()
            self.add_file(path, f"{name}/{relative}" if name else relative)

    def local_files(self) -> dict[str, Path]:
        """The files added to a draft: ``{name in artifact: local path}``."""
        return dict(self._local)

    # Reading a logged version.

    def files(
        self, names: list[str] | None = None, per_page: int = 50
    ) -> ConnectionPaginator[ArtifactFile]:
        """The version's files by name (only ``names`` if given)."""
        session = self._server()
        return ConnectionPaginator(
            session,
            "ArtifactFiles",
            {"id": self.id, "names": names},
            ("artifact", "files"),
            lambda node: ArtifactFile(session, node),
            per_page,
        )

    def download(self, root: str | os.PathLike[str] | None = None) -> str:
        """Download every file under ``root`` (default ``./artifacts/<name>``); returns it."""
        target = Path(root) if root is not None else Path("artifacts") / self.name
        for item in self.files(per_page=FILES_PER_PAGE):
            item.download(target)
        return str(target)

    def file(self, root: str | os.PathLike[str] | None = None) -> str:
        """Download the only file of a single-file version; returns its path.

        Raises:
            UsageError: if the version holds more than one file (or none).
        """
        files = list(self.files(per_page=2))
        if len(files) != 1:
            raise UsageError("file() is only for artifacts with exactly one file")
        target = Path(root) if root is not None else Path("artifacts") / self.name
        return str(files[0].download(target))

    def get_entry(self, name: str) -> ArtifactFile:
        """The file ``name`` of the version (``download(root)`` fetches just that file).

        Raises:
            NotFoundError: if the version has no such file.
        """
        found = list(self.files(names=[name], per_page=1))
        if not found:
            raise NotFoundError(f"artifact {self.name!r} has no file {name!r}")
        return found[0]

    def logged_by(self) -> RunLike | None:
        """The run that logged the version (``None`` if it was deleted)."""
        session = self._server()
        data = session.graphql.execute("ArtifactCreatedBy", {"id": self.id})
        return _run(session, ((data.get("artifact") or {}).get("createdBy")))

    def used_by(self) -> list[RunLike]:
        """The runs that used the version."""
        session = self._server()
        runs = ConnectionPaginator(
            session,
            "ArtifactUsedBy",
            {"id": self.id},
            ("artifact", "usedBy"),
            lambda node: _run(session, node),
            FILES_PER_PAGE,
        )
        return [run for run in runs if run is not None]

    def __repr__(self) -> str:
        return f"<Artifact {self.name} ({self.type})>"


def _same_collection(one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    def key(collection: Mapping[str, Any]) -> tuple[Any, ...]:
        project = collection.get("project") or {}
        entity = (project.get("entity") or {}).get("name")
        return (collection.get("name"), project.get("name"), entity)

    return key(one) == key(other)


def _run(session: Session, node: Mapping[str, Any] | None) -> RunLike | None:
    if node is None:
        return None
    project = node["project"]
    return session.make_run(session, project["entity"]["name"], project["name"], node["name"])
