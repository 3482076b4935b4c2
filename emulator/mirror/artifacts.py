"""Mirroring a project's artifacts: types, collections, versions, aliases and lineage."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping

from client import Api
from client.artifacts import Artifact, ArtifactFile
from emulator.mirror.options import MirrorOptions
from emulator.store import Store
from emulator.store.artifacts.manifests import ManifestEntry

#: The alias the store moves itself on every commit.
_LATEST = "latest"


def mirror_artifacts(
    api: Api,
    entity: str,
    project: str,
    store: Store,
    options: MirrorOptions,
    run_ids: Mapping[str, int],
) -> tuple[int, int]:
    """Copy every committed version of ``entity/project`` into ``store``, oldest first, so
    version numbers match the source's. ``run_ids`` maps kept source run ids to their ids in
    ``store``; lineage to other runs is dropped. Versions already mirrored are skipped, so
    an interrupted mirror continues. Returns (versions written, bytes of contents)."""
    written = size = 0
    for artifact_type in api.artifact_types(f"{entity}/{project}"):
        for collection in artifact_type.collections():
            versions = list(api.artifacts(artifact_type.name, f"{entity}/{project}/{collection}"))
            for version in sorted(versions, key=_version_index):
                if _already_mirrored(store, entity, project, version):
                    continue
                size += _mirror_version(store, entity, project, version, options, run_ids)
                written += 1
    return written, size


def _version_index(version: Artifact) -> int:
    """The index of a committed version (``v3`` -> 3)."""
    return int((version.version or "v0").lstrip("v"))


def _already_mirrored(store: Store, entity: str, project: str, version: Artifact) -> bool:
    stored_project = store.projects.project(entity, project)
    if stored_project is None:
        return False
    name = f"{version.collection_name}:{version.version}"
    return store.artifacts.by_name(stored_project.id, name) is not None


def _mirror_version(
    store: Store,
    entity: str,
    project: str,
    version: Artifact,
    options: MirrorOptions,
    run_ids: Mapping[str, int],
) -> int:
    files = list(version.files(per_page=1000))
    contents = _contents(files) if options.artifacts == "all" else {}
    for data in contents.values():
        store.artifacts.contents.put_file(hashlib.md5(data).hexdigest(), data)
    producer = version.logged_by()
    stored = store.artifacts.log_listing(
        entity,
        project,
        collection=version.collection_name,
        type_name=version.type,
        entries=[ManifestEntry(f.name, f.md5, f.size, None) for f in files],
        run_id=run_ids.get(producer.id) if producer is not None else None,
        aliases=[alias for alias in version.aliases if alias != _LATEST],
        description=version.description,
        metadata=version.metadata,
        tags=version.tags,
        deduplicate=False,
    )
    for user in version.used_by():
        if user.id in run_ids:
            store.artifacts.lineage.use(run_ids[user.id], stored, version.source_name)
    return sum(len(data) for data in contents.values())


def _contents(files: list[ArtifactFile]) -> dict[str, bytes]:
    """Every file's bytes (downloads check them against the file's MD5)."""
    with tempfile.TemporaryDirectory(prefix="wandb-emulator-mirror-") as root:
        return {f.name: f.download(root).read_bytes() for f in files}
