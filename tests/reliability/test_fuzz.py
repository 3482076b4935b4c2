"""Property-based fuzzing of the API: never a 5xx, the store intact afterwards.

Queries and mutations are generated from the emulator's own schema (hypothesis-graphql),
file_stream bodies and REST requests from strategies below. Each example runs against a
store holding a seeded project that no generated name can reach; after the examples that
project's export is byte-identical and SQLite's own checks pass. Hypothesis is
derandomized and bounded, so the suite is deterministic and takes seconds.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries
from starlette.testclient import TestClient

from emulator import Store, create_app
from emulator.graphql_schema import build_schema
from fixtures.seeding import seed_project

# Generated documents can be long; Hypothesis warns before printing one that failed.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

#: The seeded project; generated names never contain the digits and dashes it has.
ENTITY, PROJECT = "fuzz-9q", "kept-7x3"
SETTINGS = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    # Shrinking a failure of a long generated query can take minutes: report it unshrunk.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_NAMES = st.text("abcdefgh", min_size=1, max_size=6)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@dataclass(repr=False)
class Target:
    """The app under fuzzing, its store and the seeded project's export before it."""

    http: TestClient
    store: Store
    before: str

    def __repr__(self) -> str:  # shown in every failure report
        return "<fuzzed emulator>"


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    store = Store()
    seed_project(
        store, seed=5, entity=ENTITY, project=PROJECT, runs=3, steps=30, files=True, artifacts=True
    )
    store.runs.upsert("abc", "abc", "abc", {}, username="abc")  # a run fuzzing may reach
    with TestClient(create_app(store), raise_server_exceptions=False) as http:
        yield Target(http, store, _export_of_kept(store))
    store.close()


def _export_of_kept(store: Store) -> str:
    """The seeded project's rows and the blobs they point to, as canonical JSON."""
    snapshot = store.export()
    [project] = [p for p in snapshot["projects"] if p["name"] == PROJECT]
    runs = [r for r in snapshot["runs"] if r["project_id"] == project["id"]]
    run_ids = {r["id"] for r in runs}
    files = [f for f in snapshot["run_files"] if f["run_id"] in run_ids]
    collections = [c for c in snapshot["artifact_collections"] if c["project_id"] == project["id"]]
    artifacts = [
        a for a in snapshot["artifacts"] if a["collection_id"] in {c["id"] for c in collections}
    ]
    artifact_ids = {a["id"] for a in artifacts}
    artifact_files = [f for f in snapshot["artifact_files"] if f["artifact_id"] in artifact_ids]
    blob_keys = {
        *(f["blob_key"] for f in files),
        *(f"artifacts/manifests/{i}" for i in artifact_ids),
        *(f"artifacts/files/{f['md5_hex']}" for f in artifact_files),
    }
    kept = {
        "project": project,
        "runs": runs,
        "history": [h for h in snapshot["history"] if h["run_id"] in run_ids],
        "files": files,
        "collections": collections,
        "artifacts": artifacts,
        "artifact_files": artifact_files,
        "blobs": {key: value for key, value in snapshot["blobs"].items() if key in blob_keys},
    }
    assert len(kept["blobs"]) == len(blob_keys)
    return json.dumps(kept, sort_keys=True)


def _check(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])


@pytest.fixture(scope="module", autouse=True)
def _store_intact(target: Target) -> Iterator[None]:
    yield
    assert target.store.db.one("PRAGMA integrity_check")[0] == "ok"
    assert target.store.db.execute("PRAGMA foreign_key_check") == []
    assert _export_of_kept(target.store) == target.before


_SCHEMA = build_schema()
#: Values of the emulator's own scalars: JSON text (valid or not), JSON, times, steps.
_SCALARS = {
    "JSONString": st.one_of(_JSON.map(json.dumps), st.text(max_size=12)).map(nodes.String),
    "JSON": st.one_of(st.text(max_size=8).map(nodes.String), st.integers().map(nodes.Int)),
    "DateTime": st.one_of(
        st.sampled_from(["2024-01-01T00:00:00", "2024-13-40T99:00:00"]), st.text(max_size=10)
    ).map(nodes.String),
    "Int64": st.integers(-(2**63), 2**63 - 1).map(nodes.Int),
}


@SETTINGS
@given(query=queries(_SCHEMA, custom_scalars=_SCALARS))
def test_generated_queries_never_fail_the_server(target: Target, query: str) -> None:
    http = target.http
    response = http.post("/graphql", json={"query": query, "operationName": ""})
    _check(response)
    body = response.json()
    assert "data" in body or "errors" in body


@SETTINGS
@given(mutation=mutations(_SCHEMA, custom_scalars=_SCALARS))
def test_generated_mutations_never_fail_the_server(target: Target, mutation: str) -> None:
    http = target.http
    _check(http.post("/graphql", json={"query": mutation}))


@SETTINGS
@given(body=_JSON, raw=st.binary(max_size=64), gzip=st.booleans())
def test_arbitrary_file_stream_bodies_are_refused_cleanly(
    target: Target, body: Any, raw: bytes, gzip: bool
) -> None:
    http = target.http
    headers = {"content-encoding": "gzip"} if gzip else {}
    _check(http.post("/files/abc/abc/abc/file_stream", json=body, headers=headers))
    _check(http.post("/files/abc/abc/abc/file_stream", content=raw, headers=headers))


_LINE = st.one_of(_JSON.map(json.dumps), st.text(max_size=30))
_STREAM_FILES = st.sampled_from(
    ["wandb-history.jsonl", "wandb-events.jsonl", "wandb-summary.json", "output.log", "x"]
)


@SETTINGS
@given(
    files=st.dictionaries(
        _STREAM_FILES,
        st.fixed_dictionaries(
            {"offset": st.integers(-3, 5), "content": st.lists(_LINE, max_size=3)}
        ),
        max_size=3,
    ),
    extra=st.dictionaries(
        st.sampled_from(["complete", "exitcode", "preempting", "uploaded", "dropped"]),
        _JSON,
        max_size=2,
    ),
)
def test_file_stream_bodies_with_bad_lines_store_all_or_nothing(
    target: Target, files: dict[str, Any], extra: dict[str, Any]
) -> None:
    http, store = target.http, target.store
    run = store.runs.get("abc", "abc", "abc")
    assert run is not None
    before = store.history.info(run.id).line_count
    response = http.post("/files/abc/abc/abc/file_stream", json={"files": files, **extra})
    _check(response)
    if response.status_code >= 400:
        assert store.history.info(run.id).line_count == before


_SEGMENT = st.one_of(_NAMES, st.sampled_from(["..", "%2e%2e", "", "0", "-1", "a/b", "%00"]))
_ROUTES = st.sampled_from(
    [
        ("PUT", "/_upload/runfiles/{}"),
        ("GET", "/_download/runfiles/{}/{}/{}/{}"),
        ("GET", "/_history/{}/{}.parquet"),
        ("GET", "/artifacts/files/{}"),
        ("PUT", "/artifacts/files/{}"),
        ("GET", "/artifacts/manifests/{}"),
        ("PUT", "/artifacts/manifests/{}"),
        ("GET", "/artifactsV2/default/{}/{}/{}/{}/{}/{}"),
        ("GET", "/_emulator/export"),
        ("POST", "/sdk/otel/v1/{}"),
        ("DELETE", "/graphql"),
    ]
)


@SETTINGS
@given(
    route=_ROUTES, segments=st.lists(_SEGMENT, min_size=6, max_size=6), body=st.binary(max_size=64)
)
def test_rest_routes_answer_bad_requests_with_4xx(
    target: Target,
    route: tuple[str, str],
    segments: list[str],
    body: bytes,
) -> None:
    http = target.http
    method, template = route
    path = template.format(*segments[: template.count("{}")])
    try:
        response = http.request(method, path, content=body)
    except sqlite3.Error as error:  # pragma: no cover - the assertion names it
        raise AssertionError(f"{method} {path} raised {error!r}") from None
    _check(response)
