"""Parquet history: when a run is exported, what the file holds, and Range downloads."""

from __future__ import annotations

import io
from typing import Any

import pyarrow.parquet as pq
import pytest

from emulator.settings import Settings
from emulator.state import state_of
from emulator.store import Run, parquet_export
from tests.conftest import GraphQLClient

PARQUET = """
query RunParquetHistory($entity: String!, $project: String!, $runName: String!,
                        $liveKeys: [String!]!) {
  project(name: $project, entityName: $entity) {
    run(name: $runName) { parquetHistory(liveKeys: $liveKeys) { parquetUrls liveData } }
  }
}
"""


@pytest.fixture
def run_id(gql: GraphQLClient) -> int:
    project = gql.store.projects.ensure_project("team", "proj")
    (run_id,) = gql.store.runs.insert(project.id, [Run(name="run1", username="team")])
    return run_id


def _rows(count: int) -> list[dict[str, Any]]:
    return [
        {"_step": step, "loss": 1.0 / (step + 1)}
        | ({"val": {"acc": step / 100, "_type": "m"}} if step % 4 == 3 else {})
        for step in range(count)
    ]


def _parquet_history(gql: GraphQLClient) -> dict[str, Any]:
    variables = {"entity": "team", "project": "proj", "runName": "run1", "liveKeys": ["_step"]}
    return gql.data(PARQUET, variables)["project"]["run"]["parquetHistory"]


def test_history_is_exported_as_one_parquet_file(gql: GraphQLClient, run_id: int) -> None:
    rows = _rows(50)
    gql.store.history.write_history(run_id, rows)
    answer = _parquet_history(gql)
    assert answer["liveData"] == []
    (url,) = answer["parquetUrls"]
    assert url.startswith("http://testserver/_history/")
    response = gql.http.get(url)
    assert response.status_code == 200
    assert response.headers["accept-ranges"] == "bytes"
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == ["_step", "loss", "val"]
    assert str(table.schema.field("_step").type) == "int64"
    expected = [{"_step": r["_step"], "loss": r["loss"], "val": r.get("val")} for r in rows]
    assert table.to_pylist() == expected
    assert _parquet_history(gql) == answer  # built once per history version


def test_new_rows_come_as_a_further_file_and_served_files_never_change(
    gql: GraphQLClient, run_id: int
) -> None:
    gql.store.history.write_history(run_id, _rows(5))
    (first,) = _parquet_history(gql)["parquetUrls"]
    served = gql.http.get(first).content
    gql.store.history.write_history(run_id, [{"_step": 5, "loss": 0.1, "new": 1}], 5)
    answer = _parquet_history(gql)
    assert answer["liveData"] == []
    assert answer["parquetUrls"][0] == first
    assert gql.http.get(first).content == served
    second = pq.read_table(io.BytesIO(gql.http.get(answer["parquetUrls"][1]).content))
    assert second.column_names == ["_step", "loss", "val", "new"]
    assert second.to_pylist() == [{"_step": 5, "loss": 0.1, "val": None, "new": 1}]
    assert _parquet_history(gql) == answer  # nothing new: no further file


def test_rewritten_lines_make_the_run_live_for_good(gql: GraphQLClient, run_id: int) -> None:
    gql.store.history.write_history(run_id, _rows(5))
    assert len(_parquet_history(gql)["parquetUrls"]) == 1
    gql.store.history.write_history(run_id, [{"_step": 4, "loss": 9.0}], 4)
    live = [{"_step": step} for step in range(5)]
    assert _parquet_history(gql) == {"parquetUrls": [], "liveData": live}
    gql.store.history.write_history(run_id, [{"_step": 5, "loss": 0.1}], 5)
    assert _parquet_history(gql)["parquetUrls"] == []


def test_rows_appended_after_a_live_tail_was_not_exported_stay_exported(
    gql: GraphQLClient, run_id: int
) -> None:
    gql.store.history.write_history(run_id, _rows(5))
    gql.store.history.write_history(run_id, [{"_step": 4, "loss": 9.0}], 4)  # nothing served
    (url,) = _parquet_history(gql)["parquetUrls"]
    table = pq.read_table(io.BytesIO(gql.http.get(url).content))
    assert table.column("loss").to_pylist()[-1] == 9.0


@pytest.mark.parametrize(
    ("header", "status", "first", "last"),
    [
        ("bytes=0-9", 206, 0, 9),
        ("bytes=4-", 206, 4, None),
        ("bytes=-8", 206, -8, None),
        ("bytes=10-999999", 206, 10, None),
        ("bytes=0-1,4-5", 200, 0, None),
        ("items=0-5", 200, 0, None),
    ],
)
def test_range_requests(
    gql: GraphQLClient, run_id: int, header: str, status: int, first: int, last: int | None
) -> None:
    gql.store.history.write_history(run_id, _rows(20))
    (url,) = _parquet_history(gql)["parquetUrls"]
    whole = gql.http.get(url).content
    response = gql.http.get(url, headers={"Range": header})
    assert response.status_code == status
    expected = whole[first : None if last is None else last + 1]
    assert response.content == expected
    if status == 206:
        start = first % len(whole)
        assert response.headers["content-range"] == (
            f"bytes {start}-{start + len(expected) - 1}/{len(whole)}"
        )


def test_unsatisfiable_range_is_416(gql: GraphQLClient, run_id: int) -> None:
    gql.store.history.write_history(run_id, _rows(3))
    (url,) = _parquet_history(gql)["parquetUrls"]
    size = len(gql.http.get(url).content)
    response = gql.http.get(url, headers={"Range": f"bytes={size}-"})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{size}"


def test_head_gives_the_size(gql: GraphQLClient, run_id: int) -> None:
    gql.store.history.write_history(run_id, _rows(3))
    (url,) = _parquet_history(gql)["parquetUrls"]
    size = len(gql.http.get(url).content)
    response = gql.http.head(url)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == size


def test_mixed_types_are_served_live(gql: GraphQLClient, run_id: int) -> None:
    gql.store.history.write_history(run_id, [{"_step": 0, "loss": 1.0}, {"_step": 1, "loss": "x"}])
    assert _parquet_history(gql) == {"parquetUrls": [], "liveData": [{"_step": 0}, {"_step": 1}]}


def test_without_pyarrow_or_with_parquet_off_history_is_live(
    gql: GraphQLClient, run_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    gql.store.history.write_history(run_id, _rows(3))
    monkeypatch.setattr(parquet_export, "parquet_available", lambda: False)
    assert _parquet_history(gql)["parquetUrls"] == []
    monkeypatch.undo()
    state_of(gql.http.app).settings = Settings(parquet_history=False)  # this test's own app
    live = [{"_step": step} for step in range(3)]
    assert _parquet_history(gql) == {"parquetUrls": [], "liveData": live}


def test_runs_without_history_have_nothing_to_read(gql: GraphQLClient, run_id: int) -> None:
    assert _parquet_history(gql) == {"parquetUrls": [], "liveData": []}


def test_unknown_file_is_404(gql: GraphQLClient, run_id: int) -> None:
    assert gql.http.get("/_history/999/1.parquet").status_code == 404
