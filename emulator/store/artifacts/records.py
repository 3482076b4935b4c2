"""Records of artifact types, collections, versions and their files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: States of an artifact version. Only COMMITTED versions get a version index and aliases.
ARTIFACT_STATES = ("PENDING", "COMMITTED", "DELETED")
#: The alias that always names the newest committed version of a collection.
LATEST = "latest"


@dataclass(frozen=True)
class ArtifactType:
    """An artifact type (``dataset``, ``model`` ...) of a project."""

    id: int
    project_id: int
    entity: str
    project: str
    name: str
    created_at: str


@dataclass(frozen=True)
class ArtifactCollection:
    """A sequence of artifact versions under one name in a project."""

    id: int
    project_id: int
    entity: str
    project: str
    name: str
    type: str
    created_at: str
    description: str | None = None
    #: A portfolio holds links to versions of other collections; a sequence, its own.
    portfolio: bool = False


@dataclass(frozen=True)
class Artifact:
    """One version of an artifact. ``version_index`` is set when it is committed."""

    id: int
    collection_id: int
    project_id: int
    entity: str
    project: str
    collection: str
    type: str
    digest: str
    state: str
    created_at: str
    updated_at: str
    version_index: int | None = None
    description: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    ttl_duration_seconds: int = -1
    history_step: int | None = None
    size: int = 0
    file_count: int = 0
    created_by_run_id: int | None = None

    @property
    def version(self) -> str | None:
        """``v<index>`` once committed."""
        return None if self.version_index is None else f"v{self.version_index}"


@dataclass(frozen=True)
class Membership:
    """A version as a member of a collection: its own sequence, or a portfolio it is
    linked in, where it has the portfolio's version index."""

    collection: ArtifactCollection
    artifact: Artifact
    version_index: int
    created_at: str

    @property
    def version(self) -> str:
        """``v<index>`` in this collection."""
        return f"v{self.version_index}"


@dataclass(frozen=True)
class ArtifactFile:
    """A file of a committed artifact version; its bytes are the blob keyed by ``md5_hex``."""

    artifact_id: int
    name: str
    md5: str
    md5_hex: str
    size_bytes: int
    birth_artifact_id: int
    updated_at: str
    mimetype: str | None = None
    #: A reference entry's URI (its bytes are not stored); ``None`` for stored files.
    ref: str | None = None

    @property
    def id(self) -> str:
        """Unique among files: the version's id and the file's name."""
        return f"{self.artifact_id}:{self.name}"

    @property
    def blob_key(self) -> str:
        """Where the contents are stored (shared by every version holding them)."""
        return f"artifacts/files/{self.md5_hex}"

    @property
    def storage_path(self) -> str:
        """W&B's form of where the file is kept: ``wandb_artifacts/<md5>``, or the
        reference URI."""
        return self.ref or f"wandb_artifacts/{self.md5_hex}"
