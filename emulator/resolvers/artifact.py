"""Artifact versions and collection memberships, and where queries reach them.

A membership is a version as seen through one collection
(:class:`~emulator.store.artifacts.records.Membership`): its sequence, or a portfolio it
is linked in, with that collection's version index and aliases.
"""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType
from graphql import GraphQLError

from emulator import artifact_urls, ids
from emulator.resolvers.connections import list_connection
from emulator.resolvers.context import Info, base_url_of, store_of
from emulator.resolvers.viewer import signed_url
from emulator.store import Project, Run
from emulator.store.artifacts.manifests import ArtifactError
from emulator.store.artifacts.records import Artifact, ArtifactCollection, Membership

#: The SDK's downloader asks for 5000 files per page.
MAX_FILES_PAGE = 10_000

query = QueryType()
project = ObjectType("Project")
run = ObjectType("Run")
artifact = ObjectType("Artifact")
membership = ObjectType("ArtifactCollectionMembership")


def storage_id_of(value: str, kind: str, what: str) -> int:
    """The storage id in a GraphQL id of ``kind``; GraphQLError naming ``what`` if it is
    not one."""
    try:
        (number,) = ids.decode_id(value, kind)
        return int(number)
    except (ids.InvalidIdError, ValueError):
        raise GraphQLError(f"invalid {what} id {value!r}") from None


def artifact_id_of(value: str) -> int:
    """The storage id in an ``Artifact`` GraphQL id; GraphQLError if it is not one."""
    return storage_id_of(value, "Artifact", "artifact")


def artifact_or_error(info: Info, value: str) -> Artifact:
    """The version with GraphQL id ``value``; GraphQLError when there is none."""
    found = store_of(info).artifacts.get(artifact_id_of(value))
    if found is None:
        raise GraphQLError(f"artifact {value!r} not found")
    return found


def manifest_of(obj: Artifact, info: Info) -> dict[str, Any]:
    """The version's manifest; its URL both receives (PUT) and serves (GET) the document."""
    manifest_id = ids.encode_id("ArtifactManifest", obj.id)
    url = signed_url(info, artifact_urls.manifest_url(base_url_of(info), obj.id))
    return {
        "id": manifest_id,
        "type": "FULL",
        "created_at": obj.created_at,
        "digest": obj.digest,
        "file": {
            "id": manifest_id,
            "name": artifact_urls.MANIFEST_NAME,
            "display_name": artifact_urls.MANIFEST_NAME,
            "direct_url": url,
            "upload_url": url,
            "upload_headers": [],
        },
    }


@artifact.field("id")
def resolve_id(obj: Artifact, _: Info) -> str:
    return ids.encode_id("Artifact", obj.id)


@membership.field("artifact")
def resolve_membership_artifact(obj: Membership, _: Info) -> Artifact:
    return obj.artifact


@membership.field("id")
def resolve_membership_id(obj: Membership, _: Info) -> str:
    return ids.encode_id("ArtifactCollectionMembership", obj.collection.id, obj.artifact.id)


@membership.field("artifactCollection")
def resolve_membership_collection(obj: Membership, _: Info) -> ArtifactCollection:
    return obj.collection


@membership.field("aliases")
def resolve_membership_aliases(obj: Membership, info: Info) -> list[dict[str, Any]]:
    names = store_of(info).artifacts.aliases(obj.artifact.id, obj.collection.id)
    return [_alias(obj.artifact.id, name, obj.collection) for name in names]


@membership.field("files")
def resolve_membership_files(obj: Membership, info: Info, **kwargs: Any) -> Any:
    return resolve_files(obj.artifact, info, **kwargs)


def _alias(artifact_id: int, name: str, collection: ArtifactCollection | None) -> dict[str, Any]:
    return {
        "id": ids.encode_id("ArtifactAlias", artifact_id, name),
        "alias": name,
        "artifact_collection": collection,
    }


@artifact.field("commitHash")
def resolve_commit_hash(obj: Artifact, _: Info) -> str | None:
    return obj.digest if obj.state == "COMMITTED" else None


@artifact.field("digestAlgorithm")
def resolve_digest_algorithm(*_: Any) -> str:
    return "MANIFEST_MD5"


@artifact.field("ttlIsInherited")
def resolve_ttl_is_inherited(obj: Artifact, _: Info) -> bool:
    return obj.ttl_duration_seconds == -1


@artifact.field("tags")
def resolve_tags(obj: Artifact, _: Info) -> list[dict[str, str]]:
    return [{"id": ids.encode_id("Tag", name), "name": name} for name in obj.tags]


@artifact.field("artifactType")
def resolve_artifact_type(obj: Artifact, info: Info) -> Any:
    (found,) = store_of(info).artifacts.types(obj.project_id, obj.type)
    return found


@artifact.field("artifactSequence")
def resolve_collection(obj: Artifact, info: Info) -> ArtifactCollection | None:
    return store_of(info).artifacts.collection_by_id(obj.collection_id)


@artifact.field("aliases")
def resolve_aliases(obj: Artifact, info: Info) -> list[dict[str, Any]]:
    """The version's aliases in every collection it is a member of, each with that
    collection (the SDK keeps those of the collection it reads the version through), and
    once committed its version alias ``vN`` as W&B lists it: releases before 0.18 take
    the version from it (newer ones filter it out)."""
    store = store_of(info).artifacts
    version = [] if obj.version is None else [(obj.version, obj.collection_id)]
    return [
        _alias(obj.id, name, store.collection_by_id(collection_id))
        for name, collection_id in [*store.alias_collections(obj.id), *version]
    ]


@artifact.field("artifactMemberships")
def resolve_memberships(
    obj: Artifact, info: Info, after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    """Its sequence, then the portfolios it is linked in (oldest link first)."""
    if obj.state != "COMMITTED":
        return list_connection([], after=after, first=first)
    found = store_of(info).artifacts.memberships(obj)
    return list_connection(found, after=after, first=first)


@artifact.field("currentManifest")
def resolve_current_manifest(obj: Artifact, info: Info) -> dict[str, Any] | None:
    if store_of(info).artifacts.contents.manifest(obj.id) is None:
        return None
    return manifest_of(obj, info)


@artifact.field("files")
def resolve_files(
    obj: Artifact,
    info: Info,
    names: list[str] | None = None,
    after: str | None = None,
    first: int | None = None,
) -> dict[str, Any]:
    files = store_of(info).artifacts.files(obj.id, names=names)
    return list_connection(files, after=after, first=first, max_first=MAX_FILES_PAGE)


@artifact.field("createdBy")
def resolve_created_by(obj: Artifact, info: Info) -> Run | None:
    if obj.created_by_run_id is None:
        return None
    return store_of(info).runs.by_id(obj.created_by_run_id)


@artifact.field("usedBy")
def resolve_used_by(
    obj: Artifact, info: Info, after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    store = store_of(info)
    runs = [store.runs.by_id(run_id) for run_id in store.artifacts.lineage.users(obj.id)]
    return list_connection([r for r in runs if r is not None], after=after, first=first)


@query.field("artifact")
def resolve_artifact(_: Any, info: Info, id: str) -> Artifact | None:
    """A version by id in any state; a well-formed id of no version (deleted, expired)
    is ``null``."""
    store = store_of(info).artifacts
    store.expire_due()
    return store.get(artifact_id_of(id))


@project.field("artifactCollectionMembership")
def resolve_membership_by_name(obj: Project, info: Info, name: str) -> Membership | None:
    """The member ``collection:alias`` (``vN``, alias or digest; ``collection`` alone
    means ``latest``) of a sequence or portfolio, else ``null``."""
    store = store_of(info).artifacts
    store.expire_due()
    try:
        return store.membership_by_name(obj.id, name)
    except ArtifactError as error:
        raise GraphQLError(str(error)) from None


@project.field("artifact")
def resolve_by_name(obj: Project, info: Info, name: str, **_ignored: Any) -> Artifact | None:
    """The version the member ``collection:alias`` is, else ``null`` (``enableTracking``,
    sent by some releases, changes nothing here)."""
    found = resolve_membership_by_name(obj, info, name)
    return None if found is None else found.artifact


@run.field("outputArtifacts")
def resolve_output_artifacts(
    obj: Run, info: Info, after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    artifacts = store_of(info).artifacts.lineage.logged_by_run(obj.id)
    return list_connection(artifacts, after=after, first=first)


@run.field("inputArtifacts")
def resolve_input_artifacts(
    obj: Run, info: Info, after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    artifacts = store_of(info).artifacts.lineage.used_by_run(obj.id)
    return list_connection(artifacts, after=after, first=first)


BINDABLES = (query, project, run, artifact, membership)
