"""The SDK's artifact logging mutations, step by step, and how bad input is refused."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from emulator.store.artifacts.manifests import ManifestEntry, build_manifest, manifest_digest
from tests.conftest import GraphQLClient

CREATE = """
mutation CreateArtifact($input: CreateArtifactInput!) {
  createArtifact(input: $input) {
    artifact { id state artifactSequence { id latestArtifact { id versionIndex } } }
  }
}
"""
MANIFEST = """
mutation CreateArtifactManifest($artifactID: ID!, $digest: String!, $includeUpload: Boolean!) {
  createArtifactManifest(input: {artifactID: $artifactID, name: "wandb_manifest.json",
      digest: $digest, entityName: "ent", projectName: "proj", runName: "run1", type: FULL}) {
    artifactManifest { id file { id uploadUrl @include(if: $includeUpload)
                                 uploadHeaders @include(if: $includeUpload) } }
  }
}
"""
FILES = """
mutation CreateArtifactFiles($input: CreateArtifactFilesInput!) {
  createArtifactFiles(input: $input) {
    files { edges { node { storagePath uploadUrl uploadHeaders
                           uploadMultipartUrls { uploadID } artifact { id } } } }
  }
}
"""
COMMIT = """
mutation CommitArtifact($artifactID: ID!) {
  commitArtifact(input: {artifactID: $artifactID}) { artifact { id digest state versionIndex } }
}
"""
BY_ID = """
query ArtifactByID($id: ID!) {
  artifact(id: $id) {
    __typename id state versionIndex size fileCount ttlDurationSeconds ttlIsInherited
    tags { __typename id name }
    artifactSequence { __typename name project { id internalId name entity { name } } }
    aliases { __typename id alias artifactCollection { __typename name } }
  }
}
"""
FILES_OF = """
query Files($alias: String!) {
  project(name: "proj", entityName: "ent") {
    artifactCollection(name: "data") {
      __typename
      artifactMembership(aliasName: $alias) {
        __typename versionIndex
        files(first: 5000) {
          pageInfo { __typename endCursor hasNextPage }
          edges { node { __typename name: displayName sizeBytes md5 directUrl } }
        }
      }
    }
  }
}
"""
FILES_CONTENT = {"b.txt": b"bee", "a/x.csv": b"1,2\n"}


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def _digest(files: dict[str, bytes]) -> str:
    return manifest_digest({name: _md5(data) for name, data in files.items()})


def _manifest(files: dict[str, bytes]) -> bytes:
    return build_manifest([ManifestEntry(n, _md5(d), len(d)) for n, d in files.items()])


@pytest.fixture
def run(gql: GraphQLClient) -> None:
    gql.store.runs.upsert("ent", "proj", "run1", {}, username="ent")


def _create(gql: GraphQLClient, digest: str, **extra: object) -> dict:
    variables = {
        "input": {
            "entityName": "ent",
            "projectName": "proj",
            "runName": "run1",
            "artifactTypeName": "dataset",
            "artifactCollectionName": "data",
            "artifactCollectionNames": None,
            "digest": digest,
            "digestAlgorithm": "MANIFEST_MD5",
            "aliases": [
                {"alias": "latest", "artifactCollectionName": "data"},
                {"alias": "best", "artifactCollectionName": "data"},
            ],
            "metadata": json.dumps({"rows": 2}),
            "clientID": "c",
            "sequenceClientID": "s",
            "enableDigestDeduplication": True,
            "historyStep": 3,
            "labels": None,
            "distributedID": None,
            "storageRegion": None,
            "ttlDurationSeconds": None,
            "clientMutationId": None,
            "description": None,
            **extra,
        }
    }
    return gql.query(CREATE, variables)


def _files(gql: GraphQLClient, artifact_id: str, manifest_id: str, files: dict) -> dict:
    specs = [
        {
            "artifactID": artifact_id,
            "artifactManifestID": manifest_id,
            "md5": _md5(data),
            "mimetype": None,
            "name": name,
            "uploadPartsInput": None,
        }
        for name, data in files.items()
    ]
    return gql.query(
        FILES,
        {
            "input": {
                "artifactFiles": specs,
                "storageLayout": "V2",
                "clientMutationId": None,
                "cloudRegionID": None,
            }
        },
    )


def _log(gql: GraphQLClient, files: dict[str, bytes]) -> str:
    """Run the SDK's whole logging sequence; returns the artifact id."""
    artifact = _create(gql, _digest(files))["data"]["createArtifact"]["artifact"]
    assert artifact["state"] == "PENDING"
    first = gql.data(MANIFEST, {"artifactID": artifact["id"], "digest": "", "includeUpload": False})
    manifest_id = first["createArtifactManifest"]["artifactManifest"]["id"]
    edges = _files(gql, artifact["id"], manifest_id, files)["data"]
    for name, edge in zip(files, edges["createArtifactFiles"]["files"]["edges"], strict=True):
        assert edge["node"]["artifact"]["id"] == artifact["id"]
        if edge["node"]["uploadUrl"]:
            assert gql.http.put(edge["node"]["uploadUrl"], content=files[name]).status_code == 200
    second = gql.data(
        MANIFEST, {"artifactID": artifact["id"], "digest": _digest(files), "includeUpload": True}
    )["createArtifactManifest"]
    assert second["artifactManifest"]["id"] == manifest_id
    url = second["artifactManifest"]["file"]["uploadUrl"]
    assert gql.http.put(url, content=_manifest(files)).status_code == 200
    committed = gql.data(COMMIT, {"artifactID": artifact["id"]})["commitArtifact"]["artifact"]
    assert committed["state"] == "COMMITTED"
    return artifact["id"]


def test_full_logging_sequence_and_strict_fields(gql: GraphQLClient, run: None) -> None:
    artifact_id = _log(gql, FILES_CONTENT)
    node = gql.data(BY_ID, {"id": artifact_id})["artifact"]
    assert node["__typename"] == "Artifact"
    assert (node["versionIndex"], node["size"], node["fileCount"]) == (0, 7, 2)
    assert (node["ttlDurationSeconds"], node["ttlIsInherited"], node["tags"]) == (-1, True, [])
    assert node["artifactSequence"]["__typename"] == "ArtifactSequence"
    assert isinstance(node["artifactSequence"]["project"]["internalId"], str)
    assert [a["alias"] for a in node["aliases"]] == ["latest", "best", "v0"]
    assert {a["__typename"] for a in node["aliases"]} == {"ArtifactAlias"}
    assert node["aliases"][0]["artifactCollection"]["__typename"] == "ArtifactSequence"

    listing = gql.data(FILES_OF, {"alias": "v0"})["project"]["artifactCollection"]
    assert listing["__typename"] == "ArtifactSequence"
    files = listing["artifactMembership"]["files"]
    assert files["pageInfo"]["__typename"] == "PageInfo"
    assert [edge["node"]["name"] for edge in files["edges"]] == ["a/x.csv", "b.txt"]
    assert gql.http.get(files["edges"][1]["node"]["directUrl"]).content == b"bee"


def test_same_digest_returns_committed_version_and_moves_alias(
    gql: GraphQLClient, run: None
) -> None:
    first = _log(gql, FILES_CONTENT)
    _log(gql, {"b.txt": b"other"})
    again = _create(gql, _digest(FILES_CONTENT))["data"]["createArtifact"]["artifact"]
    assert again["id"] == first
    assert again["state"] == "COMMITTED"
    assert again["artifactSequence"]["latestArtifact"]["versionIndex"] == 1
    aliases = gql.data(BY_ID, {"id": first})["artifact"]["aliases"]
    assert [a["alias"] for a in aliases] == ["best", "v0"]
    fresh = _create(gql, _digest(FILES_CONTENT), enableDigestDeduplication=False)
    assert fresh["data"]["createArtifact"]["artifact"]["state"] == "PENDING"


def test_known_blobs_need_no_upload_and_edges_keep_input_order(
    gql: GraphQLClient, run: None
) -> None:
    _log(gql, FILES_CONTENT)
    pending = _create(gql, _digest({"z.txt": b"x", "b.txt": b"bee"}))
    artifact_id = pending["data"]["createArtifact"]["artifact"]["id"]
    result = _files(gql, artifact_id, "m", {"z.txt": b"x", "b.txt": b"bee"})["data"]
    nodes = [edge["node"] for edge in result["createArtifactFiles"]["files"]["edges"]]
    assert nodes[0]["uploadUrl"] is not None
    assert nodes[1]["uploadUrl"] is None
    assert nodes[1]["storagePath"].endswith(hashlib.md5(b"bee").hexdigest())


def test_commit_without_files_or_manifest_stays_pending(gql: GraphQLClient, run: None) -> None:
    created = _create(gql, _digest(FILES_CONTENT))["data"]["createArtifact"]["artifact"]
    no_manifest = gql.query(COMMIT, {"artifactID": created["id"]})
    assert "manifest was never uploaded" in no_manifest["errors"][0]["message"]
    url = gql.data(MANIFEST, {"artifactID": created["id"], "digest": "", "includeUpload": True})[
        "createArtifactManifest"
    ]["artifactManifest"]["file"]["uploadUrl"]
    assert gql.http.put(url, content=_manifest(FILES_CONTENT)).status_code == 200
    missing = gql.query(COMMIT, {"artifactID": created["id"]})
    assert "files never uploaded: a/x.csv, b.txt" in missing["errors"][0]["message"]
    assert gql.data(BY_ID, {"id": created["id"]})["artifact"]["state"] == "PENDING"
    assert (
        gql.data(FILES_OF, {"alias": "latest"})["project"]["artifactCollection"][
            "artifactMembership"
        ]
        is None
    )


def test_manifest_not_matching_the_digest_is_refused(gql: GraphQLClient, run: None) -> None:
    created = _create(gql, _digest({"b.txt": b"bee"}))["data"]["createArtifact"]["artifact"]
    gql.http.put(f"/artifacts/files/{hashlib.md5(b'bee').hexdigest()}", content=b"bee")
    url = f"/artifacts/manifests/{gql.store.artifacts.get(1).id}"
    assert gql.http.put(url, content=_manifest({"b.txt": b"bee", "c": b"bee"})).status_code == 200
    result = gql.query(COMMIT, {"artifactID": created["id"]})
    assert "does not match the artifact digest" in result["errors"][0]["message"]


def test_bad_uploads_are_400(gql: GraphQLClient, run: None) -> None:
    wrong = gql.http.put(f"/artifacts/files/{hashlib.md5(b'a').hexdigest()}", content=b"b")
    assert wrong.status_code == 400
    assert "expected" in wrong.json()["error"]
    assert gql.http.put("/artifacts/files/nothex", content=b"a").status_code == 400
    _create(gql, _digest({"b.txt": b"bee"}))
    for body in (
        b"{",
        b"[]",
        json.dumps(
            {"version": 1, "contents": {"../etc/passwd": {"digest": _md5(b"x"), "size": 1}}}
        ).encode(),
    ):
        assert gql.http.put("/artifacts/manifests/1", content=body).status_code == 400
    assert gql.http.put("/artifacts/manifests/99", content=b"{}").status_code == 400
    assert gql.http.get("/artifacts/files/" + "0" * 32).status_code == 404
    assert gql.http.get("/artifacts/manifests/1").status_code == 404


@pytest.mark.parametrize(
    ("name", "message"),
    [("../x", "relative path"), ("/etc/passwd", "relative path"), ("a//b", "relative path")],
)
def test_traversal_file_names_are_refused(
    gql: GraphQLClient, run: None, name: str, message: str
) -> None:
    created = _create(gql, _digest({"b.txt": b"bee"}))["data"]["createArtifact"]["artifact"]
    result = _files(gql, created["id"], "m", {name: b"x"})
    assert message in result["errors"][0]["message"]
    assert result["data"] == {"createArtifactFiles": None}


def test_invalid_create_requests(gql: GraphQLClient, run: None) -> None:
    assert (
        "run ent/proj/nope not found" in _create(gql, "d", runName="nope")["errors"][0]["message"]
    )
    assert (
        "metadata must be a JSON object"
        in _create(gql, "d", metadata="[1]")["errors"][0]["message"]
    )
    assert (
        "invalid alias"
        in _create(gql, "d", aliases=[{"alias": "v3", "artifactCollectionName": "data"}])["errors"][
            0
        ]["message"]
    )
    assert (
        "invalid artifact name"
        in _create(gql, "d", artifactCollectionName="a:b")["errors"][0]["message"]
    )
    _log(gql, FILES_CONTENT)
    assert (
        "has type 'dataset'" in _create(gql, "d", artifactTypeName="model")["errors"][0]["message"]
    )


def test_unknown_and_malformed_ids_and_names(gql: GraphQLClient, run: None) -> None:
    assert gql.query(COMMIT, {"artifactID": "bm9wZQ=="})["errors"][0]["message"].startswith(
        "invalid artifact id"
    )
    missing = gql.query(COMMIT, {"artifactID": "QXJ0aWZhY3Q6OTk="})
    assert "not found" in missing["errors"][0]["message"]
    assert gql.data(BY_ID, {"id": "QXJ0aWZhY3Q6OTk="})["artifact"] is None
    by_name = """query($name: String!) { project(name: "proj", entityName: "ent") {
        artifactCollectionMembership(name: $name) { id } } }"""
    assert gql.data(by_name, {"name": "data:v0"})["project"]["artifactCollectionMembership"] is None
    assert "invalid artifact name" in gql.query(by_name, {"name": "data:"})["errors"][0]["message"]
    assert "invalid artifact name" in gql.query(by_name, {"name": ":v0"})["errors"][0]["message"]
    assert "invalid artifact name" in gql.query(by_name, {"name": "a:b:c"})["errors"][0]["message"]


def test_fallback_download_path_serves_the_bytes(gql: GraphQLClient, run: None) -> None:
    artifact_id = _log(gql, FILES_CONTENT)
    md5_hex = hashlib.md5(b"bee").hexdigest()
    url = f"/artifactsV2/default/ent/proj/data/{artifact_id}/{md5_hex}/b.txt"
    assert gql.http.get(url).content == b"bee"
    assert gql.http.get(url.replace(md5_hex, "f" * 32)).status_code == 404
    assert gql.http.get(url.replace(md5_hex, "nothex")).status_code == 400
