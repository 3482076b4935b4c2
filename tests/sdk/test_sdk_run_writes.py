"""Run writes and files through the real SDK and through our client, over loopback.

Every test runs twice: once with ``wandb.Api`` and ``wandb.apis.public.Run``, once with
``client.Api`` and ``client.Run``, which share the interface. Results are checked in the
emulator's store.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import wandb
from wandb.apis.public import Run as SdkRun

import client
from emulator import ids
from fixtures.handle import EmulatorHandle

STATE_UPSERT = """
mutation UpsertBucket($name: String, $project: String, $entity: String, $state: String) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, state: $state}) {
    bucket { id }
  }
}
"""


@dataclass
class Flavor:
    """One client library: its Api, its Run class and the module whose sleep it calls."""

    name: str
    api: Any
    run_class: Any
    sleeping_module: str
    emulator: EmulatorHandle

    def run(self, path: str) -> Any:
        """A freshly fetched run (the SDK's Api caches runs by path)."""
        self.api.flush()
        return self.api.run(path)


@pytest.fixture(params=["sdk", "client"])
def flavor(request: pytest.FixtureRequest, wandb_env: EmulatorHandle) -> Flavor:
    if request.param == "sdk":
        return Flavor("sdk", wandb.Api(timeout=15), SdkRun, "wandb.apis.public.runs", wandb_env)
    api = client.Api(base_url=wandb_env.url, api_key=wandb_env.api_key)
    request.addfinalizer(api.close)
    return Flavor("client", api, client.Run, "client.run_writes", wandb_env)


def _stored(handle: EmulatorHandle, project: str, name: str) -> Any:
    return handle.store.runs.get(handle.entity, project, name)


def test_create_then_update_save_and_summary(flavor: Flavor) -> None:
    entity = flavor.emulator.entity
    created = flavor.run_class.create(flavor.api, project="writes", entity=entity)
    assert len(created.id) == 8
    assert created.state == "running"
    assert created.storage_id == ids.run_id(entity, "writes", created.id)
    pending = flavor.run_class.create(
        flavor.api, run_id="later", project="writes", entity=entity, state="pending"
    )
    assert _stored(flavor.emulator, "writes", "later").state == "pending"
    assert pending.id == "later"

    run = flavor.run(f"{entity}/writes/{created.id}")
    run.config["lr"] = 0.1
    run.config["layers"] = [64, 32]
    run.tags = ["baseline", "v2"]
    run.name = "nice-run-1"
    run.notes = "first try"
    run.group = "exp-a"
    run.job_type = "train"
    run.update()
    stored = _stored(flavor.emulator, "writes", created.id)
    assert stored.config["lr"] == {"value": 0.1, "desc": None}
    assert stored.config["layers"]["value"] == [64, 32]
    assert (stored.tags, stored.display_name, stored.notes) == (
        ["baseline", "v2"],
        "nice-run-1",
        "first try",
    )
    assert (stored.group, stored.job_type, stored.state) == ("exp-a", "train", "running")

    run.notes = "second try"
    run.save()
    run.summary.update({"loss": 0.25, "nested": {"a": 1}})
    stored = _stored(flavor.emulator, "writes", created.id)
    assert stored.notes == "second try"
    assert stored.summary_metrics == {"loss": 0.25, "nested": {"a": 1}}
    again = flavor.run(f"{entity}/writes/{created.id}")
    assert again.summary["loss"] == 0.25
    assert again.config["layers"] == [64, 32]
    assert again.tags == ["baseline", "v2"]


def test_tag_edits_show_in_tag_filters(flavor: Flavor) -> None:
    entity = flavor.emulator.entity
    path = f"{entity}/tagged"
    for run_id in ("one", "two"):
        flavor.run_class.create(flavor.api, run_id=run_id, project="tagged", entity=entity)

    def tagged(filters: dict) -> list[str]:
        flavor.api.flush()
        return sorted(run.id for run in flavor.api.runs(path, filters=filters))

    run = flavor.run(f"{path}/one")
    run.tags = ["baseline", "v2"]
    run.update()
    assert tagged({"tags": "baseline"}) == ["one"]
    assert tagged({"tags": {"$in": ["v2", "v3"]}}) == ["one"]
    assert tagged({"tags": {"$nin": ["v2"]}}) == ["two"]
    run.tags = ["v3"]
    run.update()
    other = flavor.run(f"{path}/two")
    other.tags = ["baseline"]
    other.update()
    assert tagged({"tags": "baseline"}) == ["two"]
    assert tagged({"tags": {"$in": ["v2", "v3"]}}) == ["one"]
    assert tagged({"tags": {"$regex": "^v"}}) == ["one"]
    other.delete()
    assert tagged({"tags": {"$nin": ["v2"]}}) == ["one"]


def test_updating_a_deleted_run_is_an_error(flavor: Flavor) -> None:
    (seeded,) = flavor.emulator.seed(project="gone", runs=1, steps=3)
    run = flavor.run(f"{seeded.entity}/gone/{seeded.name}")
    flavor.emulator.store.delete_run(seeded.id)
    run.notes = "too late"
    with pytest.raises(Exception, match="not found"):
        run.update()
    with pytest.raises(Exception, match="not found"):
        run.summary.update({"loss": 1.0})


@pytest.mark.parametrize("delete_artifacts", [False, True])
def test_delete_removes_the_run_its_history_and_files(
    flavor: Flavor, delete_artifacts: bool
) -> None:
    seeded = flavor.emulator.seed(project="del", runs=2, steps=5)
    victim, survivor = seeded
    run = flavor.run(f"{victim.entity}/del/{victim.name}")
    run.delete(delete_artifacts=delete_artifacts)
    store = flavor.emulator.store
    assert _stored(flavor.emulator, "del", victim.name) is None
    assert store.history.history_rows(victim.id) == []
    assert store.files.count(victim.id) == 0
    assert store.files.count(survivor.id) == 5
    kept = {f.blob_key for f in store.files.page(survivor.id).files}
    assert set(store.blobs.list_keys()) == kept
    with pytest.raises(Exception, match="not found"):
        run.delete(delete_artifacts=delete_artifacts)


def test_upload_list_download_and_delete_files(flavor: Flavor, tmp_path: Path) -> None:
    (seeded,) = flavor.emulator.seed(project="files", runs=1, steps=3)
    run = flavor.run(f"{seeded.entity}/files/{seeded.name}")
    source = tmp_path / "src"
    (source / "ckpt").mkdir(parents=True)
    payload = bytes(range(256)) * 400
    (source / "ckpt" / "model.bin").write_bytes(payload)

    uploaded = run.upload_file(str(source / "ckpt" / "model.bin"), root=str(source))
    assert uploaded.name == "ckpt/model.bin"
    assert uploaded.size == len(payload)
    files = run.files()
    assert len(files) == 6
    assert "ckpt/model.bin" in [f.name for f in files]
    assert len(run.files(per_page=2)) == 6
    assert [f.name for f in run.files(per_page=2)][:2] == ["ckpt/model.bin", "config.yaml"]

    target = tmp_path / "out"
    with run.file("ckpt/model.bin").download(root=str(target)) as handle:
        assert Path(handle.name) == target / "ckpt" / "model.bin"
    assert (target / "ckpt" / "model.bin").read_bytes() == payload
    # The SDK documents a ValueError; its error wrapper turns it into a CommError.
    with pytest.raises(Exception, match="File already exists, pass replace=True"):
        run.file("ckpt/model.bin").download(root=str(target))
    (target / "ckpt" / "model.bin").write_bytes(b"local")
    with run.file("ckpt/model.bin").download(root=str(target), exist_ok=True):
        assert (target / "ckpt" / "model.bin").read_bytes() == b"local"
    with run.file("ckpt/model.bin").download(root=str(target), replace=True):
        assert (target / "ckpt" / "model.bin").read_bytes() == payload

    run.file("config.yaml").delete()
    assert "config.yaml" not in [f.name for f in run.files()]
    assert len(run.files()) == 5


def test_metadata_comes_from_the_seeded_metadata_file(flavor: Flavor) -> None:
    (seeded,) = flavor.emulator.seed(project="meta", runs=1, steps=3)
    metadata = flavor.run(f"{seeded.entity}/meta/{seeded.name}").metadata
    assert metadata["host"] == seeded.host
    assert metadata["gpu_count"] >= 1
    (bare,) = flavor.emulator.seed(project="bare", runs=1, steps=3, files=False)
    assert flavor.run(f"{bare.entity}/bare/{bare.name}").metadata is None


def test_wait_until_finished_returns_once_another_client_finishes_the_run(
    flavor: Flavor, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = flavor.emulator.entity
    run = flavor.run_class.create(flavor.api, run_id="waiting", project="w", entity=entity)
    polled, finished = threading.Event(), threading.Event()
    variables = {"name": "waiting", "project": "w", "entity": entity, "state": "finished"}

    def finish() -> None:
        polled.wait(timeout=30)
        response = httpx.post(
            f"{flavor.emulator.url}/graphql", json={"query": STATE_UPSERT, "variables": variables}
        )
        assert "errors" not in response.json()
        finished.set()

    def sleep(_: float) -> None:
        # The client saw a running run: let the other client finish it, then poll again.
        polled.set()
        assert finished.wait(timeout=30)

    monkeypatch.setattr(f"{flavor.sleeping_module}.time", SimpleNamespace(sleep=sleep))
    finisher = threading.Thread(target=finish)
    finisher.start()
    run.wait_until_finished()
    finisher.join()
    assert polled.is_set()
    assert run.state == "finished"


def test_update_state_follows_the_allowed_transitions(flavor: Flavor) -> None:
    entity = flavor.emulator.entity
    run = flavor.run_class.create(flavor.api, run_id="stateful", project="s", entity=entity)
    assert run.update_state("failed") is True
    assert run.state == "failed"
    assert _stored(flavor.emulator, "s", "stateful").state == "failed"
    with pytest.raises(Exception, match="cannot move run"):
        run.update_state("finished")
    assert _stored(flavor.emulator, "s", "stateful").state == "failed"


def test_files_outside_the_root_never_leave_the_run(flavor: Flavor, tmp_path: Path) -> None:
    (seeded,) = flavor.emulator.seed(project="bad", runs=1, steps=3, files=False)
    run = flavor.run(f"{seeded.entity}/bad/{seeded.name}")
    inside = tmp_path / "root"
    inside.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    store = flavor.emulator.store
    if flavor.name == "client":
        with pytest.raises(client.UsageError, match="not inside root"):
            run.upload_file(str(outside), root=str(inside))
        assert store.files.count(seeded.id) == 0
    else:
        # The SDK rewrites "../secret.txt" to "__/secret.txt", uploads it, then looks
        # for the name it started from and fails with an IndexError.
        with pytest.raises(Exception, match="list index out of range"):
            run.upload_file(str(outside), root=str(inside))
        assert [f.name for f in store.files.page(seeded.id).files] == ["__/secret.txt"]


def test_summary_is_json_on_the_wire(flavor: Flavor) -> None:
    (seeded,) = flavor.emulator.seed(project="sum", runs=1, steps=3)
    run = flavor.run(f"{seeded.entity}/sum/{seeded.name}")
    run.summary.update({"best": {"epoch": 3, "acc": 0.9}})
    stored = _stored(flavor.emulator, "sum", seeded.name).summary_metrics
    assert stored["best"] == {"epoch": 3, "acc": 0.9}
    assert stored["loss"] == seeded.summary_metrics["loss"]
    assert json.loads(json.dumps(stored)) == stored
