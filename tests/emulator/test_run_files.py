"""Run files over GraphQL and HTTP: upload grants, PUT, listing, download, deletion."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from emulator import Settings, Store, create_app, ids
from emulator.store.files import UploadError
from tests.conftest import GraphQLClient

CREATE = """
mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
  createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run,
                         files: $files}) {
    runID uploadHeaders files { name uploadUrl }
  }
}
"""
FILES = """
query RunFiles($project: String!, $entity: String!, $name: String!, $fileCursor: String,
    $fileLimit: Int = 50, $fileNames: [String] = [], $upload: Boolean = false, $pattern: String) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      fileCount
      files(names: $fileNames, after: $fileCursor, first: $fileLimit, pattern: $pattern) {
        edges { node { id name url(upload: $upload) directUrl sizeBytes mimetype updatedAt md5 }
                cursor }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
}
"""
DELETE_RUN = """
mutation DeleteRun($id: ID!, $deleteArtifacts: Boolean) {
  deleteRun(input: {id: $id, deleteArtifacts: $deleteArtifacts}) { clientMutationId }
}
"""
DELETE_RUN_PLAIN = """
            mutation DeleteRun(
                $id: ID!,

            ) {
                deleteRun(input: {
                    id: $id,

                }) {
                    clientMutationId
                }
            }
"""
DELETE_FILES = """
mutation deleteFiles($files: [ID!]!, $projectId: Int) {
  deleteFiles(input: {files: $files, projectId: $projectId}) { success }
}
"""
UPDATE_STATE = """
mutation UpdateRunState($input: UpdateRunStateInput!) { updateRunState(input: $input) { success } }
"""
RUN = {"entity": "team", "project": "p", "name": "run1"}


@pytest.fixture
def run_id(gql: GraphQLClient) -> int:
    gql.store.runs.upsert("team", "p", "run1", {}, username="team")
    return gql.store.runs.get("team", "p", "run1").id


def _grant(gql: GraphQLClient, *names: str) -> dict:
    variables = {"entity": "team", "project": "p", "run": "run1", "files": list(names)}
    return gql.query(CREATE, variables)


def _upload(gql: GraphQLClient, name: str, data: bytes) -> None:
    url = _grant(gql, name)["data"]["createRunFiles"]["files"][0]["uploadUrl"]
    assert gql.http.put(url, content=data).status_code == 200


def _files(gql: GraphQLClient, **variables: object) -> dict:
    return gql.data(FILES, {**RUN, **variables})["project"]["run"]


@pytest.mark.usefixtures("run_id")
def test_upload_registers_the_file_and_download_returns_its_bytes(gql: GraphQLClient) -> None:
    granted = _grant(gql, "media/images/a b.png")["data"]["createRunFiles"]
    assert granted["runID"] == ids.run_id("team", "p", "run1")
    assert granted["uploadHeaders"] == []
    assert _files(gql)["fileCount"] == 0  # registered only when the PUT arrives
    data = bytes(range(256)) * 10
    assert gql.http.put(granted["files"][0]["uploadUrl"], content=data).status_code == 200

    listing = _files(gql)
    node = listing["files"]["edges"][0]["node"]
    assert listing["fileCount"] == 1
    assert node["name"] == "media/images/a b.png"
    assert node["sizeBytes"] == len(data)
    assert node["md5"] == base64.b64encode(hashlib.md5(data).digest()).decode()
    assert node["mimetype"] == "image/png"
    assert node["updatedAt"]
    assert node["directUrl"] == node["url"]
    response = gql.http.get(node["url"])
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-length"] == str(len(data))


@pytest.mark.usefixtures("run_id")
def test_listing_pages_by_name_and_selects_by_names_or_pattern(gql: GraphQLClient) -> None:
    for name in ("c.txt", "a.json", "b.txt", "d/e.json"):
        _upload(gql, name, name.encode())
    seen, cursor = [], None
    while True:
        page = _files(gql, fileLimit=3, fileCursor=cursor)["files"]
        seen += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["edges"][-1]["cursor"]
    assert seen == ["a.json", "b.txt", "c.txt", "d/e.json"]
    named = _files(gql, fileNames=["b.txt", "nope"])
    assert [edge["node"]["name"] for edge in named["files"]["edges"]] == ["b.txt"]
    assert named["fileCount"] == 4
    matched = _files(gql, pattern="%.json")["files"]["edges"]
    assert [edge["node"]["name"] for edge in matched] == ["a.json", "d/e.json"]


@pytest.mark.usefixtures("run_id")
def test_uploading_a_name_again_replaces_the_file(gql: GraphQLClient) -> None:
    _upload(gql, "out.log", b"first")
    _upload(gql, "out.log", b"second version")
    (edge,) = _files(gql)["files"]["edges"]
    assert gql.http.get(edge["node"]["url"]).content == b"second version"
    assert len(gql.store.blobs.list_keys()) == 1


@pytest.mark.parametrize(
    "name", ["../escape", "/etc/passwd", "a/../../b", "a\x00b", "", "a//b", "./a", "C:\\x"]
)
@pytest.mark.usefixtures("run_id")
def test_bad_names_are_refused_and_grant_nothing(gql: GraphQLClient, name: str) -> None:
    result = _grant(gql, "fine.txt", name)
    assert result["data"]["createRunFiles"] is None
    assert "file name" in result["errors"][0]["message"]
    assert gql.store.export()["run_file_uploads"] == []


def test_missing_run_is_an_error(gql: GraphQLClient) -> None:
    result = _grant(gql, "a.txt")
    assert "not found" in result["errors"][0]["message"]


@pytest.mark.usefixtures("run_id")
def test_unknown_and_used_upload_urls_are_refused(gql: GraphQLClient) -> None:
    url = _grant(gql, "a.txt")["data"]["createRunFiles"]["files"][0]["uploadUrl"]
    assert gql.http.put(url, content=b"one").status_code == 200
    again = gql.http.put(url, content=b"two")
    assert again.status_code == 409
    assert "already used" in again.json()["error"]
    assert gql.http.put(url + "x", content=b"three").status_code == 404
    (edge,) = _files(gql)["files"]["edges"]
    assert gql.http.get(edge["node"]["url"]).content == b"one"
    assert gql.http.get(edge["node"]["url"] + "x").status_code == 404


@pytest.fixture
def small_limit() -> Iterator[GraphQLClient]:
    store = Store()
    store.runs.upsert("team", "p", "run1", {}, username="team")
    with TestClient(create_app(store, settings=Settings(max_upload_bytes=10))) as http:
        yield GraphQLClient(http, store)
    store.close()


def test_oversized_uploads_are_refused_and_leave_the_url_usable(
    small_limit: GraphQLClient,
) -> None:
    url = _grant(small_limit, "a.txt")["data"]["createRunFiles"]["files"][0]["uploadUrl"]
    too_big = small_limit.http.put(url, content=b"x" * 11)
    assert too_big.status_code == 413
    assert "10 bytes" in too_big.json()["error"]
    streamed = small_limit.http.put(url, content=iter([b"x" * 6, b"x" * 6]))
    assert streamed.status_code == 413
    assert small_limit.store.blobs.list_keys() == []
    assert small_limit.http.put(url, content=b"x" * 10).status_code == 200


def test_delete_run_removes_history_files_and_blobs(gql: GraphQLClient, run_id: int) -> None:
    gql.store.history.write_history(run_id, [{"_step": 0, "loss": 1.0}])
    _upload(gql, "a.txt", b"a")
    _grant(gql, "pending.txt")
    result = gql.data(DELETE_RUN, {"id": ids.run_id("team", "p", "run1"), "deleteArtifacts": True})
    assert result == {"deleteRun": {"clientMutationId": None}}
    snapshot = gql.store.export()
    for table in ("runs", "history", "run_files", "run_file_uploads"):
        assert snapshot[table] == [], table
    assert snapshot["blobs"] == {}


@pytest.mark.usefixtures("run_id")
def test_delete_run_without_delete_artifacts_and_its_errors(gql: GraphQLClient) -> None:
    storage_id = ids.run_id("team", "p", "run1")
    # The SDK sends deleteArtifacts even when the document does not declare it.
    result = gql.query(DELETE_RUN_PLAIN, {"id": storage_id, "deleteArtifacts": False})
    assert result == {"data": {"deleteRun": {"clientMutationId": None}}}
    again = gql.query(DELETE_RUN_PLAIN, {"id": storage_id})
    assert "not found" in again["errors"][0]["message"]
    assert "invalid Run id" in gql.query(DELETE_RUN, {"id": "bogus"})["errors"][0]["message"]


@pytest.mark.usefixtures("run_id")
def test_delete_files(gql: GraphQLClient) -> None:
    _upload(gql, "a.txt", b"a")
    _upload(gql, "b.txt", b"b")
    first = _files(gql)["files"]["edges"][0]["node"]
    assert gql.data(DELETE_FILES, {"files": [first["id"]]}) == {"deleteFiles": {"success": True}}
    assert [e["node"]["name"] for e in _files(gql)["files"]["edges"]] == ["b.txt"]
    assert len(gql.store.blobs.list_keys()) == 1
    bad = gql.query(DELETE_FILES, {"files": ["not-an-id"]})
    assert "invalid File id" in bad["errors"][0]["message"]


@pytest.mark.usefixtures("run_id")
def test_update_run_state_allows_only_w_and_b_transitions(gql: GraphQLClient) -> None:
    storage_id = ids.run_id("team", "p", "run1")
    moved = gql.data(UPDATE_STATE, {"input": {"id": storage_id, "state": "pending"}})
    assert moved == {"updateRunState": {"success": True}}
    assert gql.store.runs.get("team", "p", "run1").state == "pending"
    refused = gql.query(UPDATE_STATE, {"input": {"id": storage_id, "state": "finished"}})
    assert "cannot move run" in refused["errors"][0]["message"]
    assert gql.store.runs.get("team", "p", "run1").state == "pending"


def test_files_survive_an_export_import_round_trip(gql: GraphQLClient, run_id: int) -> None:
    _upload(gql, "ckpt/model.pt", b"\x00\x01weights")
    snapshot = gql.store.export()
    with Store() as other:
        other.load(snapshot)
        stored = other.files.get(run_id, "ckpt/model.pt")
        assert other.files.read(stored) == b"\x00\x01weights"
    gql.store.load(snapshot)
    assert gql.store.export() == snapshot


@pytest.mark.parametrize("blobs", [{"k": "%%% not base64"}, {"../up": ""}, "not an object"])
def test_bad_snapshot_blobs_are_refused(gql: GraphQLClient, run_id: int, blobs: object) -> None:
    _upload(gql, "a.txt", b"a")
    before = gql.store.export()
    with pytest.raises(ValueError, match="blob"):
        gql.store.load({**before, "blobs": blobs})
    assert gql.store.export() == before


def test_concurrent_puts_of_one_url_register_exactly_one(store: Store) -> None:
    store.runs.upsert("team", "p", "run1", {}, username="team")
    run = store.runs.get("team", "p", "run1")
    (token,) = store.files.grant_uploads(run.id, ["race.txt"])
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def put(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            store.files.accept_upload(token, f"body {i}".encode())
            outcomes.append("stored")
        except UploadError as error:
            outcomes.append("used" if error.used else "unknown")

    threads = [threading.Thread(target=put, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored"] + ["used"] * 7
    stored = store.files.get(run.id, "race.txt")
    assert store.blobs.list_keys() == [stored.blob_key]


def test_an_upload_for_a_deleted_run_is_refused(store: Store) -> None:
    store.runs.upsert("team", "p", "run1", {}, username="team")
    run = store.runs.get("team", "p", "run1")
    (token,) = store.files.grant_uploads(run.id, ["late.txt"])
    store.delete_run(run.id)
    with pytest.raises(UploadError, match="unknown upload URL"):
        store.files.accept_upload(token, b"late")
    assert store.blobs.list_keys() == []


MARK = """
mutation MarkRunFilesUploaded($entity: String!, $project: String!, $run: String!,
                              $files: [String!]!) {
  markRunFilesUploaded(input: {entityName: $entity, projectName: $project, runName: $run,
                               files: $files}) { success }
}
"""


def test_mark_run_files_uploaded_acknowledges_known_runs(gql: GraphQLClient, run_id: int) -> None:
    variables = {"entity": "team", "project": "p", "run": "run1", "files": ["a.txt"]}
    assert gql.data(MARK, variables) == {"markRunFilesUploaded": {"success": True}}
    missing = gql.query(MARK, {**variables, "run": "nope"})
    assert "not found" in missing["errors"][0]["message"]
