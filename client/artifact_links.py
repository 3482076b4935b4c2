"""Linking artifact versions into portfolios, unlinking and deleting them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from client._session import Session
from client.errors import CommError, InvalidPathError

if TYPE_CHECKING:
    from client.artifacts import Artifact


def _target(artifact: Artifact, target_path: str) -> tuple[str, str, str]:
    parts = target_path.split("/")
    if not all(parts) or not 2 <= len(parts) <= 3 or ":" in target_path:
        raise InvalidPathError(
            f"invalid link target {target_path!r}: expected [entity/]project/name"
        )
    if len(parts) == 2:
        parts.insert(0, artifact.entity or "")
    entity, project, name = parts
    return entity, project, name


def link(session: Session, artifact: Artifact, target_path: str, aliases: list[str]) -> Artifact:
    """Link ``artifact`` into portfolio ``[entity/]project/name``; returns the link."""
    from client.artifacts import Artifact

    entity, project, name = _target(artifact, target_path)
    data = session.graphql.execute(
        "LinkArtifact",
        {
            "input": {
                "artifactID": artifact.id,
                "entityName": entity,
                "projectName": project,
                "artifactPortfolioName": name,
                "aliases": [{"artifactCollectionName": name, "alias": a} for a in aliases],
            }
        },
    )
    membership = (data.get("linkArtifact") or {}).get("artifactMembership")
    if membership is None:
        raise CommError(f"linking {artifact.qualified_name} to {target_path} returned nothing")
    return Artifact.from_membership(session, membership, f"{name}:v{membership['versionIndex']}")


def unlink(session: Session, artifact: Artifact) -> None:
    """Remove a link from the portfolio it was read through."""
    portfolio = artifact._viewed()["id"]
    session.graphql.execute(
        "UnlinkArtifact", {"input": {"artifactID": artifact.id, "artifactPortfolioID": portfolio}}
    )


def delete(session: Session, artifact: Artifact, delete_aliases: bool) -> None:
    """Delete a version (the server refuses one with aliases unless ``delete_aliases``)."""
    session.graphql.execute(
        "DeleteArtifact", {"input": {"artifactID": artifact.id, "deleteAliases": delete_aliases}}
    )
