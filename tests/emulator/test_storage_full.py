"""A full disk answers 507 with a message; nothing acknowledged is lost, and the same
request succeeds once there is room again."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from emulator import Store, create_app
from emulator.store.blobs import BlobStore
from tests.emulator.test_run_files import CREATE

STREAM = "/files/team/p/run1/file_stream"


@pytest.fixture
def http(tmp_path: Path) -> Iterator[TestClient]:
    with Store(tmp_path) as store, TestClient(create_app(store)) as client:
        store.runs.upsert("team", "p", "run1", {}, username="team")
        yield client


def _history(offset: int, count: int) -> dict[str, object]:
    rows = [
        {"_step": step, "loss": 1 / (step + 1), "note": "x" * 200}
        for step in range(offset, offset + count)
    ]
    return {
        "files": {
            "wandb-history.jsonl": {"offset": offset, "content": [json.dumps(row) for row in rows]}
        }
    }


def _store(http: TestClient) -> Store:
    store: Store = http.app.state.emulator.store  # type: ignore[attr-defined]
    return store


def test_a_full_database_refuses_a_batch_whole_then_takes_it(http: TestClient) -> None:
    store = _store(http)
    assert http.post(STREAM, json=_history(0, 10)).status_code == 200
    pages = store.db.one("PRAGMA page_count")[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 1}")  # the disk is (nearly) full

    refused = http.post(STREAM, json=_history(10, 2000))
    assert refused.status_code == 507
    assert "storage is full" in refused.json()["error"]
    run = store.runs.get("team", "p", "run1")
    assert run is not None and store.history.info(run.id).line_count == 10

    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert http.post(STREAM, json=_history(10, 2000)).status_code == 200
    assert [row["_step"] for row in store.history.history_rows(run.id)] == list(range(2010))


def test_a_full_disk_refuses_an_upload_and_keeps_the_url(
    http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = {"entity": "team", "project": "p", "run": "run1", "files": ["model.bin"]}
    body = {"query": CREATE, "variables": variables}
    url = http.post("/graphql", json=body).json()["data"]["createRunFiles"]["files"][0]["uploadUrl"]
    real_put = BlobStore.put

    def no_space(self: BlobStore, key: str, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BlobStore, "put", no_space)
    refused = http.put(url, content=b"weights" * 1000)
    assert refused.status_code == 507 and "No space left" in refused.json()["error"]
    run = _store(http).runs.get("team", "p", "run1")
    assert run is not None and _store(http).files.get(run.id, "model.bin") is None

    monkeypatch.setattr(BlobStore, "put", real_put)
    assert http.put(url, content=b"weights" * 1000).status_code == 200
    stored = _store(http).files.get(run.id, "model.bin")
    assert stored is not None and _store(http).files.read(stored) == b"weights" * 1000


def test_other_errors_are_not_taken_for_a_full_disk(
    http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: BlobStore, key: str, data: bytes) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(BlobStore, "put", broken)
    variables = {"entity": "team", "project": "p", "run": "run1", "files": ["a.txt"]}
    body = {"query": CREATE, "variables": variables}
    url = http.post("/graphql", json=body).json()["data"]["createRunFiles"]["files"][0]["uploadUrl"]
    with pytest.raises(PermissionError):
        http.put(url, content=b"data")
