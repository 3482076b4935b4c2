"""Runs read from the store decode their JSON documents only when those are read."""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest

from emulator import Store
from emulator.store import Run
from emulator.store.stored_run import StoredRun


def _stored(store: Store) -> tuple[Run, StoredRun]:
    project = store.projects.ensure_project("ent", "proj")
    run = Run(
        name="r1",
        config={"lr": {"value": 0.1, "desc": None}},
        summary_metrics={"loss": 0.5},
        system_metrics={"cpu": 3},
        tags=["a"],
    )
    (run.id,) = store.runs.insert(project.id, [run])
    stored = store.runs.get("ent", "proj", "r1")
    assert isinstance(stored, StoredRun)
    return run, stored


def test_documents_stay_encoded_until_read() -> None:
    with Store() as store:
        _, stored = _stored(store)
        assert "config" not in vars(stored)
        assert stored.tags == ["a"]
        assert stored.config == {"lr": {"value": 0.1, "desc": None}}
        assert type(vars(stored)["config"]) is dict
        assert "summary_metrics" not in vars(stored)
        assert stored.config is stored.config


def test_other_missing_attributes_are_still_errors() -> None:
    with Store() as store:
        _, stored = _stored(store)
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            _ = stored.nope
        assert not hasattr(stored, "_encoded_nope")


def test_stored_runs_behave_like_runs() -> None:
    with Store() as store:
        run, stored = _stored(store)
        assert stored.summary_metrics == {"loss": 0.5}
        assert stored == replace(
            run,
            project_id=stored.project_id,
            entity="ent",
            project="proj",
            created_at=stored.created_at,
        )
        assert asdict(stored)["system_metrics"] == {"cpu": 3}
        stored.summary_metrics["acc"] = 1.0
        assert stored.summary_metrics == {"loss": 0.5, "acc": 1.0}
        stored.config = {}
        assert stored.config == {}
        assert stored != run
