"""Artifact mutations, in the order the SDK logs a version.

``createArtifact`` -> ``createArtifactManifest`` (twice: one stable manifest id) ->
``createArtifactFiles`` -> PUT files and manifest -> ``commitArtifact``; ``useArtifact``
records lineage. Every failure is a GraphQL error, never a null payload: wandb-core
dereferences these results and crashes on null.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from ariadne import MutationType
from graphql import GraphQLError

from emulator import artifact_urls, ids
from emulator.resolvers.artifact import artifact_id_of, artifact_or_error, manifest_of
from emulator.resolvers.context import Info, base_url_of, store_of
from emulator.resolvers.viewer import require_write, signed_url
from emulator.store import Run
from emulator.store.artifacts.manifests import ArtifactError, b64_to_hex

mutation = MutationType()
F = TypeVar("F", bound=Callable[..., Any])


def artifact_errors(resolver: F) -> F:
    """Turn the store's ArtifactError into a GraphQL error naming the problem."""

    @wraps(resolver)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return resolver(*args, **kwargs)
        except ArtifactError as error:
            raise GraphQLError(str(error)) from None

    return wrapper  # type: ignore[return-value]  # same signature as resolver (wraps)


def _run(info: Info, entity: str, project: str, name: str) -> Run:
    found = store_of(info).runs.get(entity, project, name)
    if found is None:
        raise GraphQLError(f"run {entity}/{project}/{name} not found")
    return found


def _collection_name(fields: dict[str, Any]) -> str:
    names: list[str | None] = fields.get("artifact_collection_names") or [
        fields.get("artifact_collection_name")
    ]
    if not names[0]:
        raise GraphQLError("createArtifact needs artifactCollectionName(s)")
    return names[0]


@mutation.field("createArtifact")
@artifact_errors
def resolve_create_artifact(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """A new PENDING version, or the COMMITTED one with this digest (aliases applied)."""
    entity, project = input["entity_name"], input["project_name"]
    require_write(info, entity)
    collection = _collection_name(input)
    metadata = input.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise GraphQLError(f"metadata must be a JSON object, got {type(metadata).__name__}")
    if not input.get("digest"):
        raise GraphQLError("createArtifact needs a digest")
    run_name = input.get("run_name")
    run_id = None if not run_name else _run(info, entity, project, run_name).id
    aliases = [
        alias["alias"]
        for alias in input.get("aliases") or []
        if alias["artifact_collection_name"] == collection
    ]
    created = store_of(info).artifacts.create(
        entity,
        project,
        collection=collection,
        type_name=input["artifact_type_name"],
        digest=input["digest"],
        run_id=run_id,
        aliases=aliases,
        description=input.get("description"),
        metadata=metadata,
        tags=[tag["tag_name"] for tag in input.get("tags") or []],
        ttl_duration_seconds=input.get("ttl_duration_seconds"),
        history_step=input.get("history_step"),
        deduplicate=input.get("enable_digest_deduplication") is not False,
    )
    return {"artifact": created}


@mutation.field("createArtifactManifest")
def resolve_create_manifest(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """The version's one manifest: the same id however often it is asked for."""
    found = artifact_or_error(info, input["artifact_id"])
    if found.state != "PENDING":
        raise GraphQLError(f"artifact {input['artifact_id']} is {found.state}, not PENDING")
    manifest_type = input.get("type") or "FULL"
    if manifest_type == "INCREMENTAL" and input.get("base_artifact_id"):
        base = artifact_id_of(input["base_artifact_id"])
        store_of(info).artifacts.set_manifest_base(found.id, base)
    manifest = manifest_of(found, info)
    return {"artifact_manifest": {**manifest, "type": manifest_type}}


@mutation.field("updateArtifactManifest")
@artifact_errors
def resolve_update_manifest(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """The manifest of a PENDING version, named by its id; records the base version an
    incremental manifest adds to."""
    try:
        (number,) = ids.decode_id(input["artifact_manifest_id"], "ArtifactManifest")
    except ids.InvalidIdError as error:
        raise GraphQLError(str(error)) from None
    found = artifact_or_error(info, ids.encode_id("Artifact", number))
    if found.state != "PENDING":
        raise GraphQLError(f"artifact {found.id} is {found.state}, not PENDING")
    if input.get("base_artifact_id"):
        base = artifact_id_of(input["base_artifact_id"])
        store_of(info).artifacts.set_manifest_base(found.id, base)
    return {"artifact_manifest": {**manifest_of(found, info), "type": "INCREMENTAL"}}


@mutation.field("createArtifactFiles")
@artifact_errors
def resolve_create_files(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """One upload slot per input file, in input order; no URL when the bytes are stored."""
    store = store_of(info).artifacts
    base_url = base_url_of(info)
    edges = []
    for spec in input["artifact_files"]:
        owner = artifact_or_error(info, spec["artifact_id"])
        # Ariadne's name conversion turns the input field md5 into md_5.
        needed = store.check_upload(owner.id, spec["name"], spec["md_5"])
        md5_hex = b64_to_hex(spec["md_5"])
        node = {
            "id": ids.encode_id("File", owner.id, spec["name"]),
            "name": spec["name"],
            "display_name": spec["name"].rsplit("/", 1)[-1],
            "storage_path": f"wandb_artifacts/{md5_hex}",
            "upload_url": (
                signed_url(info, artifact_urls.file_url(base_url, md5_hex)) if needed else None
            ),
            "upload_headers": [],
            "upload_multipart_urls": None,
            "artifact": owner,
        }
        edges.append({"node": node})
    return {"files": {"edges": edges}}


@mutation.field("commitArtifact")
@artifact_errors
def resolve_commit_artifact(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """COMMITTED once the manifest and every file it lists have arrived."""
    committed = store_of(info).artifacts.commit(artifact_id_of(input["artifact_id"]))
    return {"artifact": committed}


@mutation.field("useArtifact")
@artifact_errors
def resolve_use_artifact(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Record the version as an input of the run."""
    store = store_of(info).artifacts
    used = store.committed(artifact_id_of(input["artifact_id"]))
    consumer = _run(info, input["entity_name"], input["project_name"], input["run_name"])
    store.lineage.use(consumer.id, used, input.get("used_as"))
    return {"artifact": used}


BINDABLES = (mutation,)
