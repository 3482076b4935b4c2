"""Fields and arguments that releases before 0.31 send (the compatibility matrix runs the
releases themselves; these pin each schema addition in the main suite)."""

from __future__ import annotations

import json

import pytest

from emulator import ids
from emulator.store import Store
from emulator.store.artifacts.manifests import ArtifactError, manifest_digest, md5_b64
from emulator.store.artifacts.records import Artifact
from tests.conftest import GraphQLClient

SERVER_INFO = """
query ServerInfo {
  serverInfo {
    cliVersionInfo
    latestLocalVersionInfo { outOfDate latestVersionString versionOnThisInstanceString }
  }
}
"""


def test_server_info_carries_the_sdk_window_and_local_version(gql: GraphQLClient) -> None:
    info = gql.data(SERVER_INFO)["serverInfo"]
    # The SDK reads it as an object: .get("max_cli_version"), compared with its own version.
    assert info["cliVersionInfo"]["max_cli_version"] == "0.31.0"
    local = info["latestLocalVersionInfo"]
    assert local["outOfDate"] is False
    assert local["latestVersionString"] == local["versionOnThisInstanceString"] != ""


PROBE_SETTINGS = """
query ProbeServerSettings {
  ServerSettingsType: __type(name: "ServerSettings") { fields { name } }
}
"""
UPSERT_WITH_SETTINGS = """
mutation UpsertBucket($name: String, $project: String) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: "ent"}) {
    bucket { name }
    inserted
    serverSettings { serverMessages { utfText plainText htmlText messageType messageLevel } }
  }
}
"""


def test_upsert_bucket_answers_server_settings_when_probed(gql: GraphQLClient) -> None:
    # 0.17 fails at wandb.init() when the probe finds no ServerSettings type.
    probed = gql.data(PROBE_SETTINGS)["ServerSettingsType"]
    assert {"name": "serverMessages"} in probed["fields"]
    payload = gql.data(UPSERT_WITH_SETTINGS, {"name": "r1", "project": "p"})["upsertBucket"]
    assert payload["bucket"] == {"name": "r1"}
    assert payload["serverSettings"] == {"serverMessages": []}


LARGE_POST = """
query Project($entity: String!, $name: String!, $runName: String!, $desc: String!) {
  project(entityName: $entity, name: $name) { run(name: $runName, desc: $desc) { name } }
}
"""


def test_project_run_accepts_verifys_ten_megabyte_desc(gql: GraphQLClient, store: Store) -> None:
    store.runs.upsert("ent", "verify", "r1", {}, username="ent")
    variables = {"entity": "ent", "name": "verify", "runName": "r1", "desc": "a" * 10**7}
    assert gql.data(LARGE_POST, variables)["project"]["run"] == {"name": "r1"}


def _log_data(store: Store) -> Artifact:
    store.runs.upsert("ent", "p", "writer", {}, username="ent")
    writer = store.runs.get("ent", "p", "writer")
    assert writer is not None
    return store.artifacts.log(
        "ent",
        "p",
        collection="data",
        type_name="dataset",
        files={"a.txt": b"a"},
        run_id=writer.id,
    )


BY_NAME = """
query ArtifactByName($name: String!, $enableTracking: Boolean) {
  project(name: "p", entityName: "ent") {
    artifact(name: $name, enableTracking: $enableTracking) {
      versionIndex
      aliases { alias }
      currentManifest { file { name displayName } }
    }
  }
}
"""


def test_artifact_by_name_with_tracking_lists_its_version_alias(
    gql: GraphQLClient, store: Store
) -> None:
    _log_data(store)
    found = gql.data(BY_NAME, {"name": "data:latest", "enableTracking": True})
    artifact = found["project"]["artifact"]
    assert artifact["versionIndex"] == 0
    # W&B lists the version alias among the aliases; 0.17 takes the version from it.
    assert [a["alias"] for a in artifact["aliases"]] == ["latest", "v0"]
    assert artifact["currentManifest"]["file"] == {
        "name": "wandb_manifest.json",
        "displayName": "wandb_manifest.json",
    }


UPLOAD_SLOTS = """
mutation CreateArtifactFiles($input: CreateArtifactFilesInput!) {
  createArtifactFiles(input: $input) { files { edges { node { name displayName } } } }
}
"""


def test_upload_slots_name_their_files_base_name(gql: GraphQLClient, store: Store) -> None:
    pending = store.artifacts.create(
        "ent", "p", collection="more", type_name="dataset", digest="0" * 32
    )
    spec = {
        "artifactID": ids.encode_id("Artifact", pending.id),
        "name": "dir/b.txt",
        "md5": md5_b64(b"b"),
    }
    payload = gql.data(UPLOAD_SLOTS, {"input": {"artifactFiles": [spec], "storageLayout": "V2"}})[
        "createArtifactFiles"
    ]
    assert payload["files"]["edges"] == [{"node": {"name": "dir/b.txt", "displayName": "b.txt"}}]


INPUTS = """
query RunInputArtifacts {
  project(name: "p", entityName: "ent") {
    run(name: "reader") { inputArtifacts { ...Inputs } }
  }
}
fragment Inputs on InputArtifactConnection { totalCount edges { node { versionIndex } } }
"""


def test_input_artifacts_are_an_input_artifact_connection(gql: GraphQLClient, store: Store) -> None:
    artifact = _log_data(store)
    store.runs.upsert("ent", "p", "reader", {}, username="ent")
    reader = store.runs.get("ent", "p", "reader")
    assert reader is not None
    store.artifacts.lineage.use(reader.id, artifact)
    connection = gql.data(INPUTS)["project"]["run"]["inputArtifacts"]
    assert connection == {"totalCount": 1, "edges": [{"node": {"versionIndex": 0}}]}


FILES_BY_NAME = """
query RunFiles($names: [String]) {
  project(name: "p", entityName: "ent") {
    run(name: "r1") { files(names: $names) { edges { node { name } } } }
  }
}
"""


def test_run_files_asked_for_as_dot_slash_name(gql: GraphQLClient, store: Store) -> None:
    store.runs.upsert("ent", "p", "r1", {}, username="ent")
    run = store.runs.get("ent", "p", "r1")
    assert run is not None
    store.files.put(run.id, "notes.txt", b"n")
    found = gql.data(FILES_BY_NAME, {"names": ["./notes.txt"]})["project"]["run"]["files"]
    assert found["edges"] == [{"node": {"name": "notes.txt"}}]


def test_a_file_reference_commits_and_is_listed_with_the_files(store: Store) -> None:
    digests = {"local.txt": md5_b64(b"x"), "remote.bin": "etag-1234"}
    pending = store.artifacts.create(
        "ent", "p", collection="refs", type_name="dataset", digest=manifest_digest(digests)
    )
    manifest = {
        "version": 1,
        "storagePolicy": "wandb-storage-policy-v1",
        "storagePolicyConfig": {"storageLayout": "V2"},
        "contents": {
            "local.txt": {"digest": digests["local.txt"], "size": 1, "ref": "file:///tmp/x"},
            "remote.bin": {"digest": "etag-1234", "ref": "s3://bucket/remote.bin"},
        },
    }
    store.artifacts.put_manifest(pending.id, json.dumps(manifest).encode())
    committed = store.artifacts.commit(pending.id)
    assert committed.state == "COMMITTED"
    assert [f.name for f in store.artifacts.files(committed.id)] == ["local.txt", "remote.bin"]
    served = json.loads(store.artifacts.contents.manifest(committed.id) or b"{}")
    assert served["contents"]["remote.bin"]["ref"] == "s3://bucket/remote.bin"


def test_a_reference_without_a_digest_is_refused(store: Store) -> None:
    pending = store.artifacts.create(
        "ent", "p", collection="refs", type_name="dataset", digest="0" * 32
    )
    manifest = {"version": 1, "contents": {"r": {"ref": "s3://b/r", "size": 1}}}
    with pytest.raises(ArtifactError, match="'r' has no digest"):
        store.artifacts.put_manifest(pending.id, json.dumps(manifest).encode())
