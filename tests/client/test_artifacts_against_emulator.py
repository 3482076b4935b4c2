"""Our client's artifact API against the emulator: log, fetch, download, lineage."""

from __future__ import annotations

from pathlib import Path

import pytest

from client import Api, Artifact, InvalidPathError, NotFoundError, UsageError
from fixtures.handle import EmulatorHandle


@pytest.fixture
def runs(wandb_emulator: EmulatorHandle, wandb_api: Api) -> tuple:
    trainer, evaluator = wandb_emulator.seed(project="proj", runs=2, steps=2, seed=3)
    path = f"{wandb_emulator.entity}/proj"
    return wandb_api.run(f"{path}/{trainer.name}"), wandb_api.run(f"{path}/{evaluator.name}")


def _draft(tmp_path: Path, text: str) -> Artifact:
    (tmp_path / "data" / "sub").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "a.txt").write_text(text)
    (tmp_path / "data" / "sub" / "b.txt").write_text("bee")
    (tmp_path / "readme.md").write_text("# hi")
    draft = Artifact("corpus", "dataset", description="words", metadata={"lang": "en"})
    draft.add_dir(tmp_path / "data", name="data")
    draft.add_file(tmp_path / "readme.md")
    return draft


def test_log_fetch_download(wandb_api: Api, runs: tuple, tmp_path: Path) -> None:
    trainer, _ = runs
    logged = trainer.log_artifact(_draft(tmp_path / "one", "alpha"), aliases=["best"])
    assert (logged.version, logged.state, logged.file_count) == ("v0", "COMMITTED", 3)
    assert logged.aliases == ["latest", "best"]

    fetched = wandb_api.artifact(f"{logged.entity}/proj/corpus:best", type="dataset")
    assert fetched.id == logged.id
    assert fetched.qualified_name == f"{logged.entity}/proj/corpus:best"
    assert fetched.source_name == "corpus:v0"
    assert fetched.metadata == {"lang": "en"}
    assert fetched.description == "words"
    assert fetched.size == len("alpha") + len("bee") + len("# hi")
    assert sorted(f.name for f in fetched.files()) == ["data/a.txt", "data/sub/b.txt", "readme.md"]
    root = Path(fetched.download(tmp_path / "out"))
    assert (root / "data" / "sub" / "b.txt").read_text() == "bee"
    assert fetched.logged_by().id == trainer.id
    entry = fetched.get_entry("data/sub/b.txt")
    assert entry.size == 3
    assert entry.download(tmp_path / "one-file").read_text() == "bee"
    with pytest.raises(NotFoundError):
        fetched.get_entry("nope.txt")
    with pytest.raises(UsageError, match="exactly one file"):
        fetched.file(tmp_path / "single")


def test_single_file_artifact(wandb_api: Api, runs: tuple, tmp_path: Path) -> None:
    (tmp_path / "model.pt").write_bytes(b"weights")
    draft = Artifact("net", "model")
    draft.add_file(tmp_path / "model.pt")
    assert (draft.is_draft(), draft.state, draft.size, draft.file_count) == (True, "PENDING", 7, 1)
    logged = runs[0].log_artifact(draft)
    assert logged.digest == draft.digest
    path = logged.file(tmp_path / "out")
    assert Path(path).read_bytes() == b"weights"


def test_versions_aliases_and_dedup(wandb_api: Api, runs: tuple, tmp_path: Path) -> None:
    trainer, _ = runs
    first = trainer.log_artifact(_draft(tmp_path / "one", "alpha"), aliases=["best"])
    second = trainer.log_artifact(_draft(tmp_path / "two", "beta"), aliases=["best"])
    again = trainer.log_artifact(_draft(tmp_path / "three", "alpha"))
    assert [first.version, second.version, again.version] == ["v0", "v1", "v0"]
    path = f"{first.entity}/proj/corpus"
    assert wandb_api.artifact(f"{path}:best").version == "v1"
    assert wandb_api.artifact(path).version == "v1"
    assert wandb_api.artifact(f"{path}:v0").aliases == []
    assert [a.version for a in wandb_api.artifacts("dataset", path)] == ["v1", "v0"]
    assert [a.version for a in trainer.logged_artifacts()] == ["v0", "v1"]
    assert [t.name for t in wandb_api.artifact_types(f"{first.entity}/proj")] == ["dataset"]
    assert list(wandb_api.artifact_type("dataset", f"{first.entity}/proj").collections()) == [
        "corpus"
    ]


def test_use_artifact_records_lineage(wandb_api: Api, runs: tuple, tmp_path: Path) -> None:
    trainer, evaluator = runs
    logged = trainer.log_artifact(_draft(tmp_path, "alpha"))
    evaluator.use_artifact(logged)
    evaluator.use_artifact(logged)
    assert [a.name for a in evaluator.used_artifacts()] == ["corpus:v0"]
    assert [run.id for run in logged.used_by()] == [evaluator.id]


def test_bad_names(wandb_api: Api, runs: tuple, tmp_path: Path) -> None:
    trainer, _ = runs
    entity = trainer.entity
    trainer.log_artifact(_draft(tmp_path, "alpha"))
    for name in ("a/b/c/d:v0", "proj/corpus:", "proj/corpus:v0:x", "proj/:v0"):
        with pytest.raises(InvalidPathError):
            wandb_api.artifact(f"{entity}/{name}" if name.count("/") < 3 else name)
    with pytest.raises(NotFoundError):
        wandb_api.artifact(f"{entity}/proj/corpus:v9")
    with pytest.raises(NotFoundError):
        wandb_api.artifact(f"{entity}/proj/missing:latest")
    with pytest.raises(UsageError):
        wandb_api.artifact(f"{entity}/proj/corpus:v0", type="model")
    with pytest.raises(UsageError):
        Artifact("bad:name", "dataset")
    with pytest.raises(UsageError):
        Artifact("ok", "dataset").add_file(tmp_path / "readme.md", name="../escape")
