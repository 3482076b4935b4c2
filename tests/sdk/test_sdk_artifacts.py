"""The real SDK's artifact API against the emulator, and our client giving the same answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import wandb

from client import Api, Artifact
from emulator.store import Run
from fixtures.handle import EmulatorHandle


@pytest.fixture
def logged(wandb_env: EmulatorHandle) -> tuple[Run, Run]:
    trainer, evaluator = wandb_env.seed(project="lineage", runs=2, steps=3, seed=1)
    store = wandb_env.store.artifacts
    store.log(
        wandb_env.entity,
        "lineage",
        collection="mnist",
        type_name="dataset",
        files={"train.csv": b"a,b\n1,2\n", "nested/test.csv": b"a,b\n3,4\n"},
        run_id=trainer.id,
        metadata={"rows": 2},
        description="digits",
    )
    second = store.log(
        wandb_env.entity,
        "lineage",
        collection="mnist",
        type_name="dataset",
        files={"train.csv": b"a,b\n1,2\n5,6\n"},
        run_id=trainer.id,
        aliases=["best"],
    )
    store.lineage.use(evaluator.id, second, "mnist:best")
    return trainer, evaluator


def test_fetch_by_version_latest_and_alias(sdk: wandb.Api, logged: tuple[Run, Run]) -> None:
    entity = logged[0].entity
    first = sdk.artifact(f"{entity}/lineage/mnist:v0")
    assert first.version == "v0"
    assert first.metadata == {"rows": 2}
    assert first.description == "digits"
    assert first.type == "dataset"
    assert first.size == 16
    assert sorted(f.name for f in first.files()) == ["nested/test.csv", "train.csv"]
    latest = sdk.artifact(f"{entity}/lineage/mnist:latest")
    assert latest.version == "v1"
    assert set(latest.aliases) >= {"latest", "best"}
    best = sdk.artifact(f"{entity}/lineage/mnist:best")
    assert best.id == latest.id


def test_download_cold_cache(sdk: wandb.Api, logged: tuple[Run, Run], tmp_path: Path) -> None:
    entity = logged[0].entity
    root = Path(sdk.artifact(f"{entity}/lineage/mnist:v0").download(str(tmp_path / "v0")))
    assert (root / "train.csv").read_bytes() == b"a,b\n1,2\n"
    assert (root / "nested" / "test.csv").read_bytes() == b"a,b\n3,4\n"


def test_run_lineage(sdk: wandb.Api, logged: tuple[Run, Run]) -> None:
    trainer, evaluator = logged
    run = sdk.run(f"{trainer.entity}/lineage/{trainer.name}")
    assert [a.version for a in run.logged_artifacts()] == ["v0", "v1"]
    used = sdk.run(f"{trainer.entity}/lineage/{evaluator.name}").used_artifacts()
    assert [a.name for a in used] == ["mnist:v1"]


def test_public_run_use_and_log_artifact(sdk: wandb.Api, logged: tuple[Run, Run]) -> None:
    trainer, evaluator = logged
    path = f"{trainer.entity}/lineage"
    first = sdk.artifact(f"{path}/mnist:v0")
    consumer = sdk.run(f"{path}/{evaluator.name}")
    consumer.use_artifact(first)
    assert [a.version for a in consumer.used_artifacts()] == ["v1", "v0"]
    assert sorted(run.id for run in first.used_by()) == [evaluator.name]
    assert first.logged_by().id == trainer.name

    # Logging identical content (same digest) returns the committed version, with the alias.
    consumer.log_artifact(first, aliases=["golden"], tags=["checked"])
    again = sdk.artifact(f"{path}/mnist:golden")
    assert again.id == first.id
    assert again.tags == ["checked"]
    assert [a.version for a in consumer.logged_artifacts()] == ["v0"]


def test_types_and_versions(sdk: wandb.Api, logged: tuple[Run, Run]) -> None:
    path = f"{logged[0].entity}/lineage"
    assert [t.name for t in sdk.artifact_types(path)] == ["dataset"]
    assert sdk.artifact_type("dataset", path).name == "dataset"
    assert [c.name for c in sdk.artifact_collections(path, "dataset")] == ["mnist"]
    assert [a.version for a in sdk.artifacts("dataset", f"{path}/mnist")] == ["v1", "v0"]
    assert sdk.artifact_exists(f"{path}/mnist:v1")
    assert not sdk.artifact_exists(f"{path}/mnist:v7")


def test_unknown_names_are_errors(sdk: wandb.Api, logged: tuple[Run, Run]) -> None:
    path = f"{logged[0].entity}/lineage"
    with pytest.raises(wandb.errors.CommError):
        sdk.artifact(f"{path}/nothing:v0")
    with pytest.raises(wandb.errors.CommError):
        sdk.artifact(f"{path}/mnist:nope")


def test_seeded_lineage_reads_the_same_through_both_clients(
    sdk: wandb.Api, wandb_api: Api, wandb_env: EmulatorHandle
) -> None:
    runs = wandb_env.seed(project="zoo", runs=30, steps=2, seed=0, artifacts=True)
    evaluator = next(r for r in runs if r.job_type == "eval" and r.group)
    path = f"{wandb_env.entity}/zoo"
    used = {}
    for api in (sdk, wandb_api):
        models = [
            a for a in api.run(f"{path}/{evaluator.name}").used_artifacts() if a.type == "model"
        ]
        assert len(models) == 1
        model = models[0]
        best = api.artifact(f"{path}/{model.name.split(':')[0]}:best", type="model")
        assert best.id == model.id
        creator = best.logged_by()
        used[type(api).__module__] = (
            best.qualified_name,
            best.version,
            best.digest,
            best.size,
            best.metadata,
            best.description,
            best.created_at,
            sorted(best.aliases),
            creator.id,
            sorted(run.id for run in best.used_by()),
            sorted(f.name for f in best.files()),
        )
    assert used["wandb.apis.public.api"] == used["client.api"]


def test_sdk_reads_and_downloads_what_our_client_logged(
    sdk: wandb.Api, wandb_api: Api, logged: tuple[Run, Run], tmp_path: Path
) -> None:
    trainer, _ = logged
    (tmp_path / "weights.bin").write_bytes(bytes(range(256)))
    draft = Artifact("net", "model", metadata={"acc": 0.9})
    draft.add_file(tmp_path / "weights.bin", name="ckpt/weights.bin")
    ours = wandb_api.run(f"{trainer.entity}/lineage/{trainer.name}").log_artifact(
        draft, aliases=["best"]
    )
    theirs = sdk.artifact(f"{trainer.entity}/lineage/net:best")
    assert (theirs.id, theirs.digest, theirs.metadata) == (ours.id, ours.digest, {"acc": 0.9})
    root = Path(theirs.download(str(tmp_path / "down")))
    assert (root / "ckpt" / "weights.bin").read_bytes() == bytes(range(256))


@pytest.mark.parametrize("delete_artifacts", [False, True])
@pytest.mark.parametrize("flavor", ["sdk", "client"])
def test_deleting_the_run_that_logged_them(
    sdk: wandb.Api, wandb_api: Api, logged: tuple[Run, Run], flavor: str, delete_artifacts: bool
) -> None:
    trainer, evaluator = logged
    path = f"{trainer.entity}/lineage"
    api = sdk if flavor == "sdk" else wandb_api
    api.run(f"{path}/{trainer.name}").delete(delete_artifacts=delete_artifacts)
    if delete_artifacts:
        with pytest.raises(Exception, match="not found"):
            api.artifact(f"{path}/mnist:v0")
        assert list(api.run(f"{path}/{evaluator.name}").used_artifacts()) == []
        return
    kept = api.artifact(f"{path}/mnist:latest")
    assert kept.version == "v1"
    assert kept.logged_by() is None
    assert [a.version for a in api.run(f"{path}/{evaluator.name}").used_artifacts()] == ["v1"]
