"""The artifact store: versions and aliases, deletion with a run, persistence on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.store import Store
from emulator.store.artifacts.manifests import ArtifactError


def _run_id(store: Store, name: str) -> int:
    store.runs.upsert("e", "p", name, {}, username="e")
    run = store.runs.get("e", "p", name)
    assert run is not None
    return run.id


def _log(store: Store, data: bytes, run_id: int | None = None, **extra: object):
    return store.artifacts.log(
        "e",
        "p",
        collection="ds",
        type_name="dataset",
        files={"f.txt": data},
        run_id=run_id,
        **extra,
    )


def test_latest_follows_the_newest_version_and_aliases_move(store: Store) -> None:
    first = _log(store, b"1", aliases=["best"])
    second = _log(store, b"2", aliases=["best", "latest"])
    assert (first.version, second.version) == ("v0", "v1")
    assert store.artifacts.aliases(first.id) == []
    assert store.artifacts.aliases(second.id) == ["latest", "best"]
    assert _log(store, b"1", aliases=["old"]).id == first.id
    assert store.artifacts.aliases(first.id) == ["old"]
    assert store.artifacts.by_name(first.project_id, f"ds:{first.digest}").id == first.id


def test_deleting_a_run_keeps_its_artifacts_unless_asked(store: Store) -> None:
    trainer, evaluator = _run_id(store, "trainer"), _run_id(store, "evaluator")
    first = _log(store, b"1", run_id=trainer)
    store.artifacts.lineage.use(evaluator, first)
    store.runs.delete(evaluator)
    assert store.artifacts.lineage.users(first.id) == []
    store.runs.delete(trainer)
    kept = store.artifacts.get(first.id)
    assert kept is not None and kept.created_by_run_id is None


def test_delete_logged_by_moves_latest_back(store: Store) -> None:
    other, trainer = _run_id(store, "other"), _run_id(store, "trainer")
    first = _log(store, b"1", run_id=other)
    second = _log(store, b"2", run_id=trainer)
    assert store.artifacts.delete_logged_by(trainer) == [second.id]
    store.artifacts.contents.delete_manifests([second.id])
    assert store.artifacts.get(second.id) is None
    assert store.artifacts.contents.manifest(second.id) is None
    assert store.artifacts.aliases(first.id) == ["latest"]
    assert _log(store, b"3").version == "v2"


def test_versions_survive_a_restart_on_disk(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        logged = _log(store, b"persisted")
    with Store(tmp_path) as store:
        again = store.artifacts.by_name(logged.project_id, "ds:latest")
        assert again is not None and again.id == logged.id
        (item,) = store.artifacts.files(again.id)
        assert store.artifacts.contents.file(item.md5_hex) == b"persisted"


def test_using_a_pending_version_is_refused(store: Store) -> None:
    pending = store.artifacts.create("e", "p", collection="ds", type_name="dataset", digest="d")
    with pytest.raises(ArtifactError, match="not a committed version"):
        store.artifacts.committed(pending.id)
    with pytest.raises(ArtifactError, match="versions such as v3 are not aliases"):
        _log(store, b"x", aliases=["v3"])


def test_snapshots_carry_versions_and_their_bytes(store: Store) -> None:
    logged = _log(store, b"snapshotted", aliases=["best"])
    with Store() as copy:
        copy.load(json.loads(json.dumps(store.export())))
        again = copy.artifacts.by_name(logged.project_id, "ds:best")
        assert again is not None and again.digest == logged.digest
        (item,) = copy.artifacts.files(again.id)
        assert copy.artifacts.contents.file(item.md5_hex) == b"snapshotted"
        assert copy.artifacts.contents.manifest(again.id) == store.artifacts.contents.manifest(
            logged.id
        )
