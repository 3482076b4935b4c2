"""The file-backed store keeps what it acknowledged across a restart; bulk transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from emulator.store import Run, Store
from emulator.store.ownership import APPLICATION_ID, ForeignDatabaseError
from emulator.store.store import DB_FILENAME


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


def _journal(store: Store) -> tuple[str, int]:
    """The journal mode and the ``synchronous`` level (1: NORMAL, 2: FULL) in use."""
    return store.db.one("PRAGMA journal_mode")[0], store.db.one("PRAGMA synchronous")[0]


def test_bulk_transaction_uses_a_rollback_journal_then_the_wal_again(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.db.bulk_transaction():
        assert _journal(store) == ("delete", 2)
        store.projects.ensure_user("bulk")
        with store.db.transaction():  # nested blocks join the bulk transaction
            store.projects.ensure_project("bulk", "proj")
    assert _journal(store) == ("wal", 1)
    store.close()

    reopened = Store(tmp_path)
    assert reopened.projects.project("bulk", "proj") is not None
    assert reopened.projects.user("bulk") is not None
    assert _journal(reopened) == ("wal", 1)
    reopened.close()


def test_a_failed_bulk_transaction_writes_nothing_and_returns_to_the_wal(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(RuntimeError, match="stop"), store.db.bulk_transaction():
        store.projects.ensure_project("bulk", "proj")
        raise RuntimeError("stop")
    assert store.projects.project("bulk", "proj") is None
    assert _journal(store) == ("wal", 1)
    store.close()


def test_bulk_transaction_inside_a_transaction_or_in_memory_is_an_ordinary_one(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    with store.db.transaction(), store.db.bulk_transaction():
        assert _journal(store) == ("wal", 1)
        store.projects.ensure_project("bulk", "proj")
    assert store.projects.project("bulk", "proj") is not None
    store.close()
    with Store() as memory, memory.db.bulk_transaction():
        assert _journal(memory) == ("memory", 2)


def test_bulk_transaction_keeps_the_wal_while_another_connection_has_the_file(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    other = sqlite3.connect(tmp_path / DB_FILENAME)
    other.execute("SELECT COUNT(*) FROM runs").fetchone()  # reads the WAL, so it is attached
    with store.db.bulk_transaction():
        assert _journal(store) == ("wal", 1)
        store.projects.ensure_project("bulk", "proj")
    assert other.execute("SELECT name FROM projects").fetchall() == [("proj",)]
    other.close()
    store.close()


def test_another_applications_database_is_refused_untouched(tmp_path: Path) -> None:
    foreign = sqlite3.connect(tmp_path / DB_FILENAME)
    foreign.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    foreign.execute("INSERT INTO invoices (total) VALUES (9.5)")
    foreign.commit()
    foreign.close()
    before = (tmp_path / DB_FILENAME).read_bytes()

    with pytest.raises(ForeignDatabaseError, match=r"belongs to another application.*invoices"):
        Store(tmp_path)
    assert (tmp_path / DB_FILENAME).read_bytes() == before


def test_a_corrupt_database_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"not a database at all" * 100)
    with pytest.raises(ForeignDatabaseError, match="not a SQLite database"):
        Store(tmp_path)


def test_a_file_from_before_the_application_id_is_still_ours(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.runs.upsert("e", "p", "r1", {}, username="e")
        store.db.execute("PRAGMA application_id = 0")  # as older versions wrote it
    with Store(tmp_path) as store:
        assert store.runs.get("e", "p", "r1") is not None
        assert store.db.one("PRAGMA application_id")[0] == APPLICATION_ID
