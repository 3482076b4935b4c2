"""The file-backed store keeps what it acknowledged across a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.store import Run, Store


def test_runs_survive_reopening(tmp_path: Path) -> None:
    store = Store(tmp_path)
    project = store.projects.ensure_project("team", "proj")
    (run_id,) = store.runs.insert(project.id, [Run(name="abc12345", username="team")])
    store.history.write_history(run_id, [{"_step": 0, "loss": 1.0}, {"_step": 1, "loss": 0.5}])
    store.close()

    reopened = Store(tmp_path)
    run = reopened.runs.get("team", "proj", "abc12345")
    assert run is not None and run.history_line_count == 2
    assert reopened.history.history_rows(run.id)[-1] == {"_step": 1, "loss": 0.5}
    assert reopened.db.one("PRAGMA journal_mode")[0] == "wal"
    reopened.close()


def test_unusable_data_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OSError):
        Store(blocker)
