"""Logging a new artifact version the way the W&B SDK does.

``CreateArtifact`` (an identical committed version short-circuits) -> ``CreateArtifactManifest``
-> ``CreateArtifactFiles`` -> PUT each file the server lacks -> PUT the manifest ->
``CommitArtifact``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from client._session import Session
from client.artifacts import Artifact, manifest_digest, md5_b64

MANIFEST_NAME = "wandb_manifest.json"


def _headers(pairs: Iterable[str] | None) -> dict[str, str]:
    """``["Name:Value", ...]`` (W&B's upload header form) as a dict."""
    return dict(pair.split(":", 1) for pair in pairs or [])


def _manifest(contents: dict[str, tuple[str, int]], artifact_id: str) -> bytes:
    document = {
        "version": 1,
        "storagePolicy": "wandb-storage-policy-v1",
        "storagePolicyConfig": {"storageLayout": "V2"},
        "contents": {
            name: {"digest": md5, "size": size, "birthArtifactID": artifact_id}
            for name, (md5, size) in contents.items()
        },
    }
    return json.dumps(document).encode()


def create_version(
    session: Session,
    *,
    entity: str,
    project: str,
    run_name: str,
    artifact: Artifact,
    digest: str,
    aliases: Iterable[str],
    tags: Iterable[str],
) -> dict[str, Any]:
    """``CreateArtifact``: the new PENDING version, or the COMMITTED one with ``digest``."""
    collection = artifact.collection_name
    variables = {
        "input": {
            "entityName": entity,
            "projectName": project,
            "runName": run_name,
            "artifactTypeName": artifact.type,
            "artifactCollectionNames": [collection],
            "digest": digest,
            "digestAlgorithm": "MANIFEST_MD5",
            "description": artifact.description,
            "metadata": json.dumps(artifact.metadata),
            "aliases": [{"artifactCollectionName": collection, "alias": a} for a in aliases],
            "tags": [{"tagName": tag} for tag in tags],
            "enableDigestDeduplication": True,
        }
    }
    created = session.graphql.execute("CreateArtifact", variables)
    node: dict[str, Any] = created["createArtifact"]["artifact"]
    return node


def upload_version(
    session: Session,
    *,
    entity: str,
    project: str,
    run_name: str,
    artifact: Artifact,
    aliases: Iterable[str],
    tags: Iterable[str],
) -> dict[str, Any]:
    """Log the draft ``artifact`` as an output of a run; returns the committed version's attrs."""
    data = {name: path.read_bytes() for name, path in artifact.local_files().items()}
    md5s = {name: md5_b64(content) for name, content in data.items()}
    digest = manifest_digest(md5s)
    created = create_version(
        session,
        entity=entity,
        project=project,
        run_name=run_name,
        artifact=artifact,
        digest=digest,
        aliases=["latest", *aliases],
        tags=tags,
    )
    if created["state"] == "COMMITTED":
        return created
    graphql = session.graphql
    manifest = graphql.execute(
        "CreateArtifactManifest",
        {
            "artifactID": created["id"],
            "name": MANIFEST_NAME,
            "digest": digest,
            "entityName": entity,
            "projectName": project,
            "runName": run_name,
        },
    )["createArtifactManifest"]["artifactManifest"]
    names = list(data)
    specs = [
        {
            "artifactID": created["id"],
            "artifactManifestID": manifest["id"],
            "name": name,
            "md5": md5s[name],
            "mimetype": None,
        }
        for name in names
    ]
    edges = graphql.execute(
        "CreateArtifactFiles", {"input": {"artifactFiles": specs, "storageLayout": "V2"}}
    )["createArtifactFiles"]["files"]["edges"]
    for name, edge in zip(names, edges, strict=True):
        node = edge["node"]
        if node["uploadUrl"]:
            headers = _headers(node["uploadHeaders"])
            graphql.transfer("PUT", node["uploadUrl"], content=data[name], headers=headers)
    contents = {name: (md5s[name], len(content)) for name, content in data.items()}
    graphql.transfer(
        "PUT",
        manifest["file"]["uploadUrl"],
        content=_manifest(contents, created["id"]),
        headers=_headers(manifest["file"]["uploadHeaders"]),
    )
    committed = graphql.execute("CommitArtifact", {"artifactID": created["id"]})
    committed_node: dict[str, Any] = committed["commitArtifact"]["artifact"]
    return committed_node
