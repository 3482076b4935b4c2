"""Linking versions into portfolios, and changing or deleting versions and collections.

``linkArtifact`` creates the target portfolio (with the version's type) when missing;
linking into a sequence, or a portfolio of another type, is an error. Every failure is
a GraphQL error naming the problem, and leaves the store as it was.
"""

from __future__ import annotations

from typing import Any

from ariadne import MutationType
from graphql import GraphQLError

from emulator.resolvers.artifact import artifact_id_of, artifact_or_error
from emulator.resolvers.artifact_collection import collection_id_of
from emulator.resolvers.artifact_mutation import artifact_errors
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.viewer import require_registry_role
from emulator.store.artifacts.records import Artifact, ArtifactCollection
from emulator.store.registries import is_registry_project

mutation = MutationType()


def _collection(info: Info, value: str) -> ArtifactCollection:
    found = store_of(info).artifacts.collection_by_id(collection_id_of(value))
    if found is None:
        raise GraphQLError(f"artifact collection {value!r} not found")
    return found


def _named_collection(info: Info, entity: str, project: str, name: str) -> Any:
    store = store_of(info)
    found_project = store.projects.project(entity, project)
    found = None if found_project is None else store.artifacts.collection(found_project.id, name)
    if found is None:
        raise GraphQLError(f"artifact collection {entity}/{project}/{name} not found")
    return found


def _committed(info: Info, value: str) -> Artifact:
    found = artifact_or_error(info, value)
    if found.state != "COMMITTED":
        raise GraphQLError(f"artifact {value!r} is {found.state}, not COMMITTED")
    return found


def _require_linking(info: Info, entity: str, project: str) -> None:
    """In a registry, linking and unlinking take the member role (strict mode)."""
    if not is_registry_project(project):
        return
    registry = store_of(info).registries.registry(entity, project)
    if registry is not None:
        require_registry_role(info, registry, "member", "link versions in")


@mutation.field("linkArtifact")
@artifact_errors
def resolve_link(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Link a version into ``entityName/projectName/artifactPortfolioName`` (or the
    portfolio ``artifactPortfolioID``) with the aliases naming that portfolio."""
    if not input.get("artifact_id"):
        raise GraphQLError("linkArtifact needs artifactID")
    source = _committed(info, input["artifact_id"])
    if input.get("artifact_portfolio_id"):
        target = _collection(info, input["artifact_portfolio_id"])
        entity, project, name = target.entity, target.project, target.name
    else:
        entity = input.get("entity_name") or source.entity
        project = input.get("project_name") or ""
        name = input.get("artifact_portfolio_name") or ""
        if not project or not name:
            raise GraphQLError(
                "linkArtifact needs artifactPortfolioID, or projectName and artifactPortfolioName"
            )
    _require_linking(info, entity, project)
    aliases = [
        alias["alias"]
        for alias in input.get("aliases") or []
        if alias["artifact_collection_name"] == name
    ]
    linked = store_of(info).artifacts.links.link(source, entity, project, name, aliases)
    return {
        "version_index": linked.version_index,
        "artifact_collection_member": linked.artifact,
        "artifact_membership": linked,
    }


@mutation.field("unlinkArtifact")
@artifact_errors
def resolve_unlink(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Remove a version from a portfolio; the version itself stays."""
    portfolio = _collection(info, input["artifact_portfolio_id"])
    _require_linking(info, portfolio.entity, portfolio.project)
    store_of(info).artifacts.links.unlink(artifact_id_of(input["artifact_id"]), portfolio)
    return {"artifact_id": input["artifact_id"], "success": True}


@mutation.field("deleteArtifact")
@artifact_errors
def resolve_delete(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Delete a version; refused while it has aliases unless ``deleteAliases``."""
    found = artifact_or_error(info, input["artifact_id"])
    store_of(info).artifacts.deletion.delete_version(
        found, delete_aliases=bool(input.get("delete_aliases"))
    )
    return {"artifact": found}


@mutation.field("updateArtifact")
@artifact_errors
def resolve_update(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Change description, metadata, tags or TTL; aliases here name the version's sequence."""
    store = store_of(info).artifacts
    found = _committed(info, input["artifact_id"])
    metadata = input.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise GraphQLError(f"metadata must be a JSON object, got {type(metadata).__name__}")
    store.editing.update(
        found,
        description=input.get("description"),
        metadata=metadata,
        tags_to_add=[tag["tag_name"] for tag in input.get("tags_to_add") or []],
        tags_to_delete=[tag["tag_name"] for tag in input.get("tags_to_delete") or []],
        ttl_duration_seconds=input.get("ttl_duration_seconds"),
    )
    aliases = input.get("aliases")
    if aliases is not None:
        wanted = {a["alias"] for a in aliases if a["artifact_collection_name"] == found.collection}
        wanted.discard("latest")
        current = set(store.aliases(found.id, found.collection_id)) - {"latest"}
        sequence = found.collection_id
        store.editing.delete_aliases(found, [(sequence, a) for a in sorted(current - wanted)])
        store.editing.add_aliases(found, [(sequence, a) for a in sorted(wanted - current)])
    return {"artifact": store.get(found.id)}


def _alias_pairs(info: Info, aliases: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [
        (
            _named_collection(
                info, a["entity_name"], a["project_name"], a["artifact_collection_name"]
            ).id,
            a["alias"],
        )
        for a in aliases
    ]


@mutation.field("addAliases")
@artifact_errors
def resolve_add_aliases(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Point aliases of collections the version is a member of at it."""
    found = _committed(info, input["artifact_id"])
    store_of(info).artifacts.editing.add_aliases(found, _alias_pairs(info, input["aliases"]))
    return {"success": True}


@mutation.field("deleteAliases")
@artifact_errors
def resolve_delete_aliases(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Remove aliases from a version."""
    found = _committed(info, input["artifact_id"])
    store_of(info).artifacts.editing.delete_aliases(found, _alias_pairs(info, input["aliases"]))
    return {"success": True}


def _update_collection(info: Info, value: str, fields: dict[str, Any]) -> Any:
    store = store_of(info).artifacts
    found = _collection(info, value)
    store.editing.update_collection(
        found, name=fields.get("name"), description=fields.get("description")
    )
    return {"artifact_collection": store.collection_by_id(found.id)}


@mutation.field("updateArtifactSequence")
@artifact_errors
def resolve_update_sequence(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Rename a sequence or change its description."""
    return _update_collection(info, input["artifact_sequence_id"], input)


@mutation.field("updateArtifactPortfolio")
@artifact_errors
def resolve_update_portfolio(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Rename a portfolio or change its description."""
    return _update_collection(info, input["artifact_portfolio_id"], input)


@mutation.field("moveArtifactSequence")
@artifact_errors
def resolve_move_sequence(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Give a sequence another artifact type."""
    store = store_of(info).artifacts
    found = _collection(info, input["artifact_sequence_id"])
    store.editing.change_type(found, input["destination_artifact_type_name"])
    return {"artifact_collection": store.collection_by_id(found.id)}


def _delete_collection(info: Info, value: str) -> dict[str, Any]:
    found = _collection(info, value)
    store_of(info).artifacts.deletion.delete_collection(found)
    return {"artifact_collection": found}


@mutation.field("deleteArtifactSequence")
@artifact_errors
def resolve_delete_sequence(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Delete a sequence with its versions."""
    return _delete_collection(info, input["artifact_sequence_id"])


@mutation.field("deleteArtifactPortfolio")
@artifact_errors
def resolve_delete_portfolio(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Delete a portfolio (its links; the linked versions stay)."""
    return _delete_collection(info, input["artifact_portfolio_id"])


def _tag_names(input: dict[str, Any]) -> list[str]:
    return [tag["tag_name"] for tag in input["tags"]]


def _tagged_collection(info: Info, input: dict[str, Any]) -> Any:
    """The collection a tag assignment input names."""
    return _named_collection(
        info, input["entity_name"], input["project_name"], input["artifact_collection_name"]
    )


@mutation.field("createArtifactCollectionTagAssignments")
@artifact_errors
def resolve_add_collection_tags(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Tag a collection."""
    found = _tagged_collection(info, input)
    store_of(info).artifacts.editing.tag_collection(found.id, add=_tag_names(input))
    return {"tags": [{"id": f"Tag:{name}", "name": name} for name in _tag_names(input)]}


@mutation.field("deleteArtifactCollectionTagAssignments")
@artifact_errors
def resolve_delete_collection_tags(_: Any, info: Info, input: dict[str, Any]) -> Any:
    """Remove tags from a collection."""
    found = _tagged_collection(info, input)
    store_of(info).artifacts.editing.tag_collection(found.id, remove=_tag_names(input))
    return {"success": True}


BINDABLES = (mutation,)
