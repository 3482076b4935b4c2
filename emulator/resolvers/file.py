"""Run files: the ``File`` type, ``Run.files``/``fileCount`` and the file mutations."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType
from graphql import GraphQLError

from emulator import artifact_urls, ids
from emulator.file_urls import download_path, upload_path
from emulator.resolvers.connections import check_first, connection
from emulator.resolvers.context import Info, base_url_of, settings_of, store_of
from emulator.resolvers.run_mutation import require_run
from emulator.resolvers.viewer import require_write, signed_url
from emulator.store import Run, RunFile
from emulator.store.artifacts.records import ArtifactFile
from emulator.store.files import FileNameError
from emulator.store.pagination import Cursor, CursorError

file = ObjectType("File")
run = ObjectType("Run")
mutation = MutationType()


@file.field("id")
def resolve_id(obj: RunFile, _: Info) -> str:
    return ids.encode_id("File", obj.id)


@file.field("displayName")
def resolve_display_name(obj: RunFile, _: Info) -> str:
    return obj.name


@file.field("url")
@file.field("directUrl")
def resolve_url(obj: RunFile | ArtifactFile, info: Info, **_: Any) -> str | None:
    if isinstance(obj, ArtifactFile):
        # A reference's bytes are where it points; the SDK fetches those itself.
        return obj.ref or signed_url(info, artifact_urls.file_url(base_url_of(info), obj.md5_hex))
    owner = store_of(info).runs.by_id(obj.run_id)
    if owner is None:
        return None
    path = download_path(owner.entity, owner.project, owner.name, obj.name)
    return signed_url(info, base_url_of(info) + path)


@file.field("md5")
@file.field("digest")
def resolve_md5(obj: RunFile, _: Info) -> str:
    return obj.md5


@file.field("storagePath")
def resolve_storage_path(obj: RunFile | ArtifactFile, _: Info) -> str:
    """An artifact file's path in W&B's ``wandb_artifacts/...`` form (or its reference)."""
    return obj.storage_path if isinstance(obj, ArtifactFile) else obj.blob_key


@run.field("fileCount")
def resolve_file_count(obj: Run, info: Info) -> int:
    return store_of(info).files.count(obj.id)


@run.field("files")
def resolve_files(
    obj: Run,
    info: Info,
    names: list[str | None] | None = None,
    pattern: str | None = None,
    after: str | None = None,
    first: int | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    """Files by name; cursors carry the last name seen."""
    try:
        after_name = None if after is None else Cursor.decode(after).value
    except CursorError as error:
        raise GraphQLError(f"invalid cursor: {error}") from None
    if after is not None and not isinstance(after_name, str):
        raise GraphQLError(f"invalid cursor: {after!r} is not a file cursor")
    page = store_of(info).files.page(
        obj.id,
        names=[_stored_name(name) for name in names or () if name],
        pattern=pattern,
        after=after_name,
        first=check_first(first),
    )
    edges = [{"node": f, "cursor": Cursor(f.name, f.id).encode()} for f in page.files]
    return connection(edges, has_next_page=page.has_next_page, after=after)


def _stored_name(name: str) -> str:
    """Run files are stored by path relative to the run's directory; a name asked for as
    ``./notes.txt`` (``wandb verify`` does) is that same file."""
    while name.startswith("./"):
        name = name[2:]
    return name


def _run_of(info: Info, fields: dict[str, Any]) -> Run:
    entity = fields.get("entity_name") or settings_of(info).entity
    return require_run(info, entity, fields["project_name"], fields["run_name"])


@mutation.field("createRunFiles")
def resolve_create_run_files(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """One single-use upload URL per name, served by this emulator."""
    target = _run_of(info, input)
    require_write(info, target.entity)
    names = input["files"]
    try:
        tokens = store_of(info).files.grant_uploads(target.id, names)
    except FileNameError as error:
        raise GraphQLError(str(error)) from None
    base = base_url_of(info)
    return {
        "run_id": ids.run_id(target.entity, target.project, target.name),
        "upload_headers": [],
        "files": [
            {"name": name, "upload_url": signed_url(info, base + upload_path(token))}
            for name, token in zip(names, tokens, strict=True)
        ],
        "client_mutation_id": input.get("client_mutation_id"),
    }


@mutation.field("markRunFilesUploaded")
def resolve_mark_run_files_uploaded(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Files are registered when their PUT arrives, so this only checks the run exists."""
    _run_of(info, input)
    return {"success": True, "client_mutation_id": input.get("client_mutation_id")}


@mutation.field("deleteFiles")
def resolve_delete_files(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Delete files by id; a malformed id is an error and deletes nothing."""
    try:
        file_ids = [int(ids.decode_id(value, "File")[0]) for value in input["files"]]
    except (ids.InvalidIdError, ValueError) as error:
        raise GraphQLError(str(error)) from None
    deleted = store_of(info).files.delete(file_ids)
    return {"success": deleted > 0, "client_mutation_id": input.get("client_mutation_id")}


BINDABLES = (file, run, mutation)
