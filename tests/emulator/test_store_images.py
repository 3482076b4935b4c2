"""Store images: a whole store captured and restored, in memory and on disk."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.store import Run, Store
from emulator.store.artifacts.contents import manifest_key


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store = Store(None if request.param == "memory" else tmp_path / "data")
    yield store
    store.close()


def _add_run(store: Store, name: str, *, files: dict[str, bytes]) -> int:
    project = store.projects.ensure_project("team", "proj", created_at="2024-01-01T00:00:00")
    (run_id,) = store.runs.insert(project.id, [Run(name=name, username="team")])
    store.history.write_history(run_id, [{"_step": 0, "loss": 1.0}])
    for file_name, data in files.items():
        store.files.put(run_id, file_name, data, updated_at="2024-01-01T00:00:00")
    return run_id


def _contents(store: Store) -> dict[str, Any]:
    """Every row and blob, as plain data."""
    return store.export()


def test_restore_undoes_every_later_write(store: Store) -> None:
    first = _add_run(store, "one", files={"a.txt": b"a", "b.txt": b"b"})
    store.blobs.put(manifest_key(1), b"manifest of version 1")
    before = _contents(store)
    image = store.capture()

    store.files.put(first, "a.txt", b"changed")
    _add_run(store, "two", files={"c.txt": b"c"})
    store.blobs.put(manifest_key(1), b"another manifest under the same key")
    store.blobs.delete(store.files.get(first, "b.txt").blob_key)
    store.restore(image)

    assert _contents(store) == before
    assert store.files.read(store.files.get(first, "a.txt")) == b"a"
    assert store.blobs.get(manifest_key(1)) == b"manifest of version 1"
    image.close()


def test_restoring_twice_gives_the_same_store(store: Store) -> None:
    _add_run(store, "one", files={"a.txt": b"a"})
    image = store.capture()
    store.restore(image)
    once = _contents(store)
    _add_run(store, "two", files={"b.txt": b"b"})
    store.restore(image)
    assert _contents(store) == once
    image.close()


def test_an_image_outlives_clearing_the_store(store: Store) -> None:
    _add_run(store, "one", files={"a.txt": b"a"})
    before = _contents(store)
    image = store.capture()
    store.clear()
    store.restore(image)
    assert _contents(store) == before
    image.close()


def test_the_empty_image_empties_the_store(store: Store) -> None:
    empty = Store()
    _add_run(store, "one", files={"a.txt": b"a"})
    store.restore(store.empty_image())
    assert _contents(store) == _contents(empty)
    assert store.blobs.list_keys() == []
    run_id = _add_run(store, "two", files={"b.txt": b"b"})
    assert run_id == 1
    empty.close()


def test_the_store_keeps_working_after_a_restore(store: Store) -> None:
    _add_run(store, "one", files={"a.txt": b"a"})
    image = store.capture()
    _add_run(store, "two", files={})
    store.restore(image)
    run_id = _add_run(store, "three", files={"c.txt": b"c"})
    assert [row[0] for row in store.db.execute("SELECT name FROM runs ORDER BY id")] == [
        "one",
        "three",
    ]
    assert store.files.read(store.files.get(run_id, "c.txt")) == b"c"
    image.close()


def test_restore_refuses_inside_a_transaction_and_changes_nothing(store: Store) -> None:
    _add_run(store, "one", files={"a.txt": b"a"})
    image = store.capture()
    _add_run(store, "two", files={"b.txt": b"b"})
    before = _contents(store)
    with store.db.transaction(), pytest.raises(RuntimeError, match="transaction"):
        store.restore(image)
    assert _contents(store) == before
    image.close()


def test_version_moves_with_every_kind_of_write(store: Store) -> None:
    run_id = _add_run(store, "one", files={})
    version = store.version
    store.runs.get("team", "proj", "one")
    store.blobs.get("missing")
    assert store.version == version
    store.runs.update(run_id, {"notes": "n"})
    assert store.version != version
    version = store.version
    store.blobs.put("x/y", b"z")
    assert store.version != version
    version = store.version
    store.db.execute("CREATE TABLE extra (a)")
    assert store.version != version


def test_an_image_holds_tables_it_does_not_know(store: Store) -> None:
    store.db.execute("CREATE TABLE extra (a)")
    store.db.execute("INSERT INTO extra VALUES (1)")
    image = store.capture()
    store.db.execute("DROP TABLE extra")
    store.restore(image)
    assert [tuple(row) for row in store.db.execute("SELECT a FROM extra")] == [(1,)]
    image.close()


def test_a_restored_file_store_is_on_disk(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _add_run(store, "one", files={"a.txt": b"a"})
    image = store.capture()
    _add_run(store, "two", files={"b.txt": b"b"})
    store.restore(image)
    expected = _contents(store)
    store.close()

    reopened = Store(tmp_path)
    assert _contents(reopened) == expected
    assert reopened.db.one("PRAGMA journal_mode")[0] == "wal"
    assert reopened.db.one("PRAGMA integrity_check")[0] == "ok"
    reopened.close()
    image.close()


def test_a_file_image_shares_blob_files_and_cleans_up(tmp_path: Path) -> None:
    store = Store(tmp_path)
    run_id = _add_run(store, "one", files={"a.txt": b"a"})
    image = store.capture()
    blob = tmp_path / "blobs" / store.files.get(run_id, "a.txt").blob_key
    assert image.blobs.directory is not None
    linked = image.blobs.directory / store.files.get(run_id, "a.txt").blob_key
    assert os.path.samefile(blob, linked)

    store.files.put(run_id, "a.txt", b"new bytes under a new key")
    store.restore(image)
    assert store.files.read(store.files.get(run_id, "a.txt")) == b"a"
    assert os.path.samefile(blob, linked)
    image.close()
    assert not image.blobs.directory.exists()
    assert store.files.read(store.files.get(run_id, "a.txt")) == b"a"
    store.close()


def test_images_left_by_a_killed_process_are_removed(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _add_run(store, "one", files={"a.txt": b"a"})
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    images = tmp_path / ".blobs-images"
    orphan = images / f"image-{ended.stdout.strip()}-abc"
    (orphan / "ab").mkdir(parents=True)
    (orphan / "ab" / "blob").write_bytes(b"left behind")
    live = store.capture()
    assert not orphan.exists()
    store.capture().close()  # a second capture keeps this process's live image
    assert live.blobs.directory is not None and live.blobs.directory.exists()
    live.close()
    store.close()


def test_file_images_work_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: object) -> None:
        raise PermissionError("hard links not supported")

    store = Store(tmp_path)
    run_id = _add_run(store, "one", files={"a.txt": b"a"})
    before = _contents(store)
    monkeypatch.setattr(os, "link", no_links)
    image = store.capture()
    store.files.put(run_id, "a.txt", b"changed")
    store.restore(image)
    assert _contents(store) == before
    store.restore(image)
    assert _contents(store) == before
    image.close()
    store.close()


def test_restores_while_another_thread_reads_and_writes(store: Store) -> None:
    run_id = _add_run(store, "one", files={"a.txt": b"a"})
    before = _contents(store)
    image = store.capture()
    stop, errors = threading.Event(), []

    def busy() -> None:
        try:
            while not stop.is_set():
                store.runs.upsert("team", "proj", "other", {"notes": "n"}, username="team")
                run = store.runs.get("team", "proj", "one")
                assert run is not None and run.id == run_id
                assert store.files.read(store.files.get(run_id, "a.txt")) == b"a"
        except BaseException as error:  # reported below
            errors.append(error)

    worker = threading.Thread(target=busy)
    worker.start()
    for _ in range(20):
        store.restore(image)
    stop.set()
    worker.join()
    store.restore(image)
    assert errors == []
    assert _contents(store) == before
    image.close()
