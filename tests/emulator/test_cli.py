"""The ``wandb-emulator`` command line."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulator import Store
from emulator.cli import DEFAULT_ENTITY, DEFAULT_PROJECT, main

CLI = [sys.executable, "-m", "emulator"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_prints_the_exports_and_serves_seeded_data() -> None:
    process = _serve("--seed", "1", "--entity", "demo", "--project", "p", "--runs", "3")
    try:
        lines = [process.stdout.readline() for _ in range(5)]
        url = next(line.split("=", 1)[1].strip() for line in lines if "WANDB_BASE_URL" in line)
        assert any("WANDB_API_KEY=" in line for line in lines)
        assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
        query = 'query { project(name: "p", entityName: "demo") { runCount } }'
        answer = httpx.post(f"{url}/graphql", json={"query": query}).json()
        assert answer == {"data": {"project": {"runCount": 3}}}
        home = httpx.get(f"{url}/")  # the web UI
        assert home.status_code == 200 and 'href="/demo/p"' in home.text
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_busy_port_is_a_clear_error(busy_port: int) -> None:
    result = subprocess.run(
        [*CLI, "serve", "--port", str(busy_port)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{busy_port}" in result.stderr


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SystemExit, match="cannot use data dir"):
        main(["seed", "--data-dir", str(blocker)])


def test_seed_export_import_through_a_data_dir(tmp_path: Path) -> None:
    data, copy, snapshot = tmp_path / "data", tmp_path / "copy", tmp_path / "snap.json"
    main(["seed", "--data-dir", str(data), "--runs", "2", "--steps", "3", "--project", "p"])
    main(["export", "--data-dir", str(data), str(snapshot)])
    main(["import", "--data-dir", str(copy), str(snapshot)])
    copied = tmp_path / "copy.json"
    main(["export", "--data-dir", str(copy), str(copied)])
    assert json.loads(copied.read_text()) == json.loads(snapshot.read_text())
    assert len(json.loads(snapshot.read_text())["runs"]) == 2


def test_seed_with_artifacts(tmp_path: Path) -> None:
    main(["seed", "--data-dir", str(tmp_path), "--runs", "12", "--steps", "2", "--artifacts"])
    with Store(tmp_path) as store:
        project = store.projects.project(DEFAULT_ENTITY, DEFAULT_PROJECT)
        assert project is not None
        assert store.artifacts.collections(project.id, "dataset")


def test_seed_with_sweeps(tmp_path: Path) -> None:
    main(["seed", "--data-dir", str(tmp_path), "--runs", "20", "--steps", "2", "--sweeps", "2"])
    with Store(tmp_path) as store:
        project = store.projects.project(DEFAULT_ENTITY, DEFAULT_PROJECT)
        assert project is not None
        assert [sweep.state for sweep in store.sweeps.of_project(project.id)] == ["FINISHED"] * 2


def test_serve_refuses_another_applications_database(tmp_path: Path) -> None:
    foreign = sqlite3.connect(tmp_path / "emulator.sqlite3")
    foreign.execute("CREATE TABLE notes (body TEXT)")
    foreign.close()
    done = subprocess.run(
        [*CLI, "serve", "--port", "0", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "belongs to another application" in done.stderr
