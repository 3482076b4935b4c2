"""Acknowledged writes survive restarts and ``kill -9``; concurrent writers lose no field."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from client import Api, Run
from emulator import DEFAULT_API_KEY, EmulatorServer, Store, create_app
from emulator.store.store import DB_FILENAME
from fixtures.seeding import seed_project

FIELD_UPSERT = """
mutation UpsertBucket($name: String, $project: String, $entity: String, $notes: String,
                      $displayName: String, $tags: [String!], $config: JSONString,
                      $summaryMetrics: JSONString, $groupName: String, $jobType: String,
                      $description: String) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, notes: $notes,
                       displayName: $displayName, tags: $tags, config: $config,
                       summaryMetrics: $summaryMetrics, groupName: $groupName,
                       jobType: $jobType, description: $description}) {
    bucket { id }
  }
}
"""


@contextmanager
def _serving(data_dir: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], Api]]:
    """``wandb-emulator serve --data-dir`` in a subprocess, with a client bound to it."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emulator",
            "serve",
            "--port",
            "0",
            "--entity",
            "ent",
            "--data-dir",
            str(data_dir),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(4)]
        url = next(line.split("=", 1)[1].strip() for line in lines if "WANDB_BASE_URL" in line)
        with Api(base_url=url, api_key=DEFAULT_API_KEY) as api:
            yield process, api
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=10)


def test_writes_survive_kill_9_and_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    local = tmp_path / "model.bin"
    local.write_bytes(b"\x00weights" * 1000)
    with _serving(data) as (process, api):
        run = Run.create(api, run_id="durable", project="p", entity="ent")
        run = api.run("ent/p/durable")
        run.config["lr"] = 0.01
        run.tags = ["kept"]
        run.update()
        run.summary.update({"loss": 0.5})
        run.upload_file(str(local), root=str(tmp_path))
        doomed = Run.create(api, run_id="doomed", project="p", entity="ent")
        doomed.upload_file(str(local), root=str(tmp_path))
        doomed.delete()
        process.kill()  # SIGKILL: no shutdown code runs
        process.wait(timeout=10)

    with _serving(data) as (_, api):
        run = api.run("ent/p/durable")
        assert run.config == {"lr": 0.01}
        assert run.tags == ["kept"]
        assert run.summary["loss"] == 0.5
        assert run.file("model.bin").read() == local.read_bytes()
        assert [run.id for run in api.runs("ent/p")] == ["durable"]
        run.notes = "after the crash"
        run.update()

    with _serving(data) as (_, api):
        assert api.run("ent/p/durable").notes == "after the crash"
    with Store(data) as store:
        referenced = {row["blob_key"] for row in store.export()["run_files"]}
        assert set(store.blobs.list_keys()) == referenced


_SEED_THEN_DIE = """
import os, signal, sys
from emulator.store import Store
from fixtures.seeding import seed_project

store = Store(sys.argv[1])
write_events = store.history.write_events
written = []

def write_then_die(run_id, rows):
    written.append(run_id)
    if len(written) == 40:  # ~3 MB in: SQLite's page cache has spilled into the file
        os.kill(os.getpid(), signal.SIGKILL)
    return write_events(run_id, rows)

store.history.write_events = write_then_die
seed_project(store, entity="ent", project="big", runs=50, steps=1000)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_seed_killed_midway_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store(data) as store:
        seed_project(store, entity="ent", project="kept", runs=3, steps=20)
        before = store.export()
    size = (data / DB_FILENAME).stat().st_size

    killed = subprocess.run([sys.executable, "-c", _SEED_THEN_DIE, str(data)], timeout=120)
    assert killed.returncode == -signal.SIGKILL
    # It died inside the seed's transaction, with new pages already in the database file.
    assert (data / f"{DB_FILENAME}-journal").exists()
    assert (data / DB_FILENAME).stat().st_size > size

    with Store(data) as store:
        assert store.db.one("PRAGMA integrity_check")[0] == "ok"
        assert store.export() == before
        assert store.db.one("PRAGMA journal_mode")[0] == "wal"
        assert len(seed_project(store, entity="ent", project="big", runs=2, steps=5)) == 2


def test_upload_limit_flag(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (600 * 1024))
    with _serving(tmp_path / "data", "--max-upload-mb", "0.5") as (_, api):
        run = Run.create(api, run_id="limited", project="p", entity="ent")
        with pytest.raises(Exception, match="413"):
            run.upload_file(str(big), root=str(tmp_path))
        assert len(run.files()) == 0


@pytest.mark.parametrize("data_dir", [False, True])
def test_concurrent_field_updates_lose_nothing(tmp_path: Path, data_dir: bool) -> None:
    fields = {
        "notes": lambda i: f"note {i}",
        "displayName": lambda i: f"name-{i}",
        "tags": lambda i: [f"tag{i}"],
        "config": lambda i: json.dumps({"lr": {"value": i, "desc": None}}),
        "summaryMetrics": lambda i: json.dumps({"loss": i}),
        "groupName": lambda i: f"group-{i}",
        "jobType": lambda i: f"job-{i}",
        "description": lambda i: f"description {i}",
    }
    rounds = 15
    store = Store(tmp_path / "data" if data_dir else None)
    target = {"name": "shared", "project": "p", "entity": "ent"}
    store.runs.upsert("ent", "p", "shared", {}, username="ent")
    barrier = threading.Barrier(len(fields))
    errors: list[object] = []

    with EmulatorServer(create_app(store)) as server:

        def writer(field: str) -> None:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                barrier.wait(timeout=30)
                for i in range(rounds):
                    variables = {**target, field: fields[field](i)}
                    body = http.post(
                        "/graphql", json={"query": FIELD_UPSERT, "variables": variables}
                    ).json()
                    if "errors" in body:
                        errors.append(body["errors"])

        threads = [threading.Thread(target=writer, args=(field,)) for field in fields]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    run = store.runs.get("ent", "p", "shared")
    last = rounds - 1
    assert (run.notes, run.display_name, run.tags) == (
        f"note {last}",
        f"name-{last}",
        [f"tag{last}"],
    )
    assert run.config == {"lr": {"value": last, "desc": None}}
    assert run.summary_metrics == {"loss": last}
    assert (run.group, run.job_type, run.description) == (
        f"group-{last}",
        f"job-{last}",
        f"description {last}",
    )
    store.close()
