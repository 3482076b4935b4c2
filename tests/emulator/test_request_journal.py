"""The request journal: what each entry holds, its filters, its bounds and its route."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone

import pytest
from starlette.testclient import TestClient

from emulator import Settings, Store, create_app
from emulator.middleware.classify import classify, route_kind
from emulator.request_journal import parse_time
from emulator.state import state_of
from tests.conftest import GraphQLClient

UPSERT = """
mutation UpsertBucket($entity: String, $project: String, $name: String) {
  upsertBucket(input: {entityName: $entity, modelName: $project, name: $name}) {
    bucket { id }
  }
}
"""
VIEWER = "query Viewer { viewer { entity } }"
KEYS = {
    "seq",
    "time",
    "route",
    "method",
    "path",
    "operation",
    "variables",
    "entity",
    "project",
    "run",
    "body",
    "status",
    "duration_ms",
    "fault",
    "applied",
    "user",
    "in_flight",
}


def _journal(gql: GraphQLClient, **params: str) -> list[dict]:
    response = gql.http.get("/_emulator/requests", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_entry_names_the_operation_even_when_the_sdk_leaves_it_empty(
    gql: GraphQLClient,
) -> None:
    gql.query(UPSERT, {"entity": "team", "project": "p", "name": "run1"})
    [entry] = _journal(gql)
    assert set(entry) == KEYS
    assert entry["operation"] == "UpsertBucket"
    assert entry["variables"] == {"entity": "team", "project": "p", "name": "run1"}
    assert (entry["entity"], entry["project"], entry["run"]) == ("team", "p", "run1")
    assert (entry["route"], entry["method"], entry["path"]) == ("graphql", "POST", "/graphql")
    assert (entry["status"], entry["fault"], entry["applied"], entry["user"]) == (
        200,
        None,
        True,
        "emulator",  # an open server's default user
    )
    assert entry["in_flight"] is False
    assert entry["duration_ms"] > 0
    assert datetime.fromisoformat(entry["time"].replace("Z", "+00:00")).tzinfo is not None


@pytest.mark.parametrize(
    ("path", "route", "names"),
    [
        ("/files/e/p/r/file_stream", "file_stream", ("e", "p", "r")),
        ("/_download/runfiles/e/p/r/media/a%20b.png", "download", ("e", "p", "r")),
        ("/_upload/runfiles/token", "upload", (None, None, None)),
        ("/artifacts/files/0123", "artifact_file", (None, None, None)),
        ("/artifactsV2/default/e/p/coll/1/0123/a.txt", "artifact_file", ("e", "p", None)),
        ("/_history/3/1.parquet", "parquet", (None, None, None)),
        ("/healthz", "other", (None, None, None)),
        ("/files/x/file_stream", "file_stream", (None, None, None)),
    ],
)
def test_route_kinds_and_names_from_paths(path: str, route: str, names: tuple) -> None:
    assert route_kind(path) == route
    info = classify(route, "GET", path)
    assert (info.entity, info.project, info.run) == names


@pytest.mark.parametrize(
    ("operation", "variables", "names"),
    [
        ("Run", {"entity": "e", "project": "p", "name": "r"}, ("e", "p", "r")),
        ("Runs", {"entity": "e", "project": "p", "name": "x"}, ("e", "p", None)),
        ("GetProject", {"entity": "e", "name": "p"}, ("e", "p", None)),
        ("CreateRunFiles", {"entity": "e", "project": "p", "run": "r"}, ("e", "p", "r")),
        ("RunParquetHistory", {"entity": "e", "project": "p", "runName": "r"}, ("e", "p", "r")),
        (
            "CreateArtifactManifest",
            {"entityName": "e", "projectName": "p", "runName": "r"},
            ("e", "p", "r"),
        ),
        ("ArtifactType", {"entity": "e", "project": "p", "name": "model"}, ("e", "p", None)),
    ],
)
def test_entity_project_and_run_from_variables(
    operation: str, variables: dict, names: tuple
) -> None:
    body = json.dumps({"operationName": operation, "query": "{x}", "variables": variables})
    info = classify("graphql", "POST", "/graphql", body.encode())
    assert (info.operation, info.entity, info.project, info.run) == (operation, *names)


def test_file_stream_and_upload_bodies_are_summarised(gql: GraphQLClient) -> None:
    gql.store.runs.upsert("team", "p", "r", {}, username="team")
    batch = {
        "files": {"wandb-history.jsonl": {"offset": 0, "content": ['{"_step": 0}'] * 3}},
        "complete": True,
        "exitcode": 0,
    }
    plain_body = json.dumps(batch).encode()
    gql.http.post("/files/team/p/r/file_stream", content=plain_body)
    packed = gzip.compress(plain_body)
    gql.http.post(
        "/files/team/p/r/file_stream", content=packed, headers={"Content-Encoding": "gzip"}
    )
    gql.http.put("/_upload/runfiles/nope", content=b"x" * 10)
    plain, zipped, upload = _journal(gql)
    assert plain["body"] == {
        "bytes": len(plain_body),
        "complete": True,
        "exitcode": 0,
        "files": {"wandb-history.jsonl": {"offset": 0, "lines": 3}},
    }
    assert zipped["body"] == {**plain["body"], "bytes": len(packed)}
    assert (upload["route"], upload["status"], upload["body"]) == ("upload", 404, {"bytes": 10})


def test_filters_by_operation_route_names_and_time(gql: GraphQLClient) -> None:
    gql.query(VIEWER)
    middle = datetime.now(timezone.utc)
    gql.query(UPSERT, {"entity": "team", "project": "p", "name": "a"})
    gql.query(UPSERT, {"entity": "team", "project": "q", "name": "b"})
    gql.http.get("/healthz")

    assert [e["operation"] for e in _journal(gql, operation="UpsertBucket")] == [
        "UpsertBucket",
        "UpsertBucket",
    ]
    assert [e["path"] for e in _journal(gql, route="other")] == ["/healthz"]
    assert [e["run"] for e in _journal(gql, project="q")] == ["b"]
    since = _journal(gql, since=middle.isoformat())
    assert [e["seq"] for e in since] == [2, 3, 4]
    assert _journal(gql, since=str(middle.timestamp())) == since
    assert [e["seq"] for e in _journal(gql)] == [1, 2, 3, 4]  # the admin routes are not kept


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"route": "ftp"}, "'route' must be one of"),
        ({"since": "yesterday"}, "'since' must be an ISO 8601 time"),
        ({"colour": "red"}, "unknown filter 'colour'"),
    ],
)
def test_bad_filters_are_400s(gql: GraphQLClient, params: dict, fragment: str) -> None:
    response = gql.http.get("/_emulator/requests", params=params)
    assert response.status_code == 400
    assert fragment in response.json()["error"]


def test_delete_and_reset_empty_the_journal(gql: GraphQLClient) -> None:
    gql.query(VIEWER)
    assert gql.http.delete("/_emulator/requests").json() == {"status": "ok"}
    assert _journal(gql) == []
    gql.query(VIEWER)
    gql.http.post("/_emulator/reset", headers={"X-Wandb-Emulator": "1"})
    assert _journal(gql) == []


def test_the_journal_is_bounded_and_can_be_off() -> None:
    for size, kept in ((3, [3, 4, 5]), (0, [])):
        app = create_app(Store(), settings=Settings(journal_size=size))
        with TestClient(app) as http:
            for _ in range(5):
                http.get("/healthz")
        assert [entry.seq for entry in state_of(app).journal.entries()] == kept


def test_since_accepts_times_in_several_forms() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert parse_time("2026-01-02T03:04:05Z") == moment.timestamp()
    assert parse_time(moment.replace(tzinfo=None)) == moment.timestamp()
    assert parse_time(moment.timestamp()) == moment.timestamp()
    with pytest.raises(ValueError, match="'since'"):
        parse_time([])  # type: ignore[arg-type]


def test_unsupported_graphql_is_recorded(gql: GraphQLClient) -> None:
    for _ in range(2):
        gql.query("query Spaceships { viewer { warpDrive } }")
    gql.query("query Broken {")  # a syntax error is the client's, not a hole here
    assert gql.http.get("/_emulator/unsupported").json() == [
        {
            "operation": "Spaceships",
            "message": "Cannot query field 'warpDrive' on type 'User'.",
            "count": 2,
        }
    ]
