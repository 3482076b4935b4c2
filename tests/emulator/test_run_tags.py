"""The run_tags table follows the tags of runs through every write, import and upgrade."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.store import Run, Store, migrations
from emulator.store.store import DB_FILENAME


def tag_rows(store: Store) -> set[tuple[int, str]]:
    return {(row[0], row[1]) for row in store.db.execute("SELECT run_id, tag FROM run_tags")}


def expected_rows(store: Store) -> set[tuple[int, str]]:
    """What run_tags should hold: every tag of every run, as the runs table has them."""
    rows = store.db.execute("SELECT id, tags FROM runs")
    return {(row[0], tag) for row in rows for tag in json.loads(row[1])}


def tagged(store: Store, tag: str) -> list[str]:
    project = store.projects.project("ent", "proj")
    page = store.runs.page(project.id, filters={"tags": tag}, order="+created_at", first=100)
    return [run.name for run in page.runs]


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store()
    project = store.projects.ensure_project("ent", "proj")
    store.runs.insert(
        project.id,
        [
            Run(name="a", tags=["x", "y"], created_at="2024-01-01T00:00:01"),
            Run(name="b", tags=["y"], created_at="2024-01-01T00:00:02"),
            Run(name="c", tags=[], created_at="2024-01-01T00:00:03"),
        ],
    )
    yield store
    store.close()


def test_inserts_updates_and_deletes_keep_the_tags(store: Store) -> None:
    assert tag_rows(store) == expected_rows(store) and len(tag_rows(store)) == 3
    assert (tagged(store, "x"), tagged(store, "y")) == (["a"], ["a", "b"])
    a, b, c = (store.runs.get("ent", "proj", name) for name in "abc")
    store.runs.update(a.id, {"tags": ["z"]})
    store.runs.update(c.id, {"tags": ["y", "y", "x"]})  # duplicates are one row
    store.runs.update(b.id, {"notes": "tags untouched"})
    assert tag_rows(store) == expected_rows(store)
    assert [tagged(store, tag) for tag in "xyz"] == [["c"], ["b", "c"], ["a"]]
    store.delete_run(b.id)
    assert tag_rows(store) == expected_rows(store) and tagged(store, "y") == ["c"]
    store.runs.upsert("ent", "proj", "d", {"tags": ["x"]}, username="ent")
    assert tagged(store, "x") == ["c", "d"]
    store.clear()
    assert tag_rows(store) == set()


def test_export_leaves_the_tags_table_out_and_import_rebuilds_it(store: Store) -> None:
    snapshot = store.export()
    assert "run_tags" not in snapshot
    with Store() as other:
        other.load(snapshot)
        assert tag_rows(other) == tag_rows(store)
        assert tagged(other, "y") == ["a", "b"]
        other.load(snapshot)  # replacing everything again leaves no stale rows
        assert tag_rows(other) == tag_rows(store)


def test_importing_tags_that_are_not_json_fails_and_keeps_the_store(store: Store) -> None:
    snapshot = store.export()
    snapshot["runs"][0]["tags"] = "not json"
    before = store.export()
    with pytest.raises(ValueError, match="JSON"):
        store.load(snapshot)
    assert store.export() == before and tag_rows(store) == expected_rows(store)


def _as_written_before_run_tags(path: Path) -> None:
    """Make ``path`` what the previous schema wrote: no run_tags table, no triggers, and
    user_version 0."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TRIGGER run_tags_of_new_runs; DROP TRIGGER run_tags_of_changed_runs;"
        " DROP TABLE run_tags; PRAGMA user_version = 0;"
    )
    conn.close()


def test_opening_an_older_file_fills_the_tags_table(tmp_path: Path) -> None:
    with Store(tmp_path) as old:
        project = old.projects.ensure_project("ent", "proj")
        old.runs.insert(
            project.id,
            [
                Run(name="a", tags=["x"], created_at="2024-01-01T00:00:01"),
                Run(name="b", tags=["x", "y"], created_at="2024-01-01T00:00:02"),
                Run(name="c", created_at="2024-01-01T00:00:03"),
            ],
        )
    _as_written_before_run_tags(tmp_path / DB_FILENAME)
    conn = sqlite3.connect(tmp_path / DB_FILENAME)  # an older import let this in
    conn.execute("UPDATE runs SET tags = 'not json' WHERE name = 'c'")
    conn.commit()
    conn.close()
    with Store(tmp_path) as upgraded:
        assert upgraded.db.one("PRAGMA user_version")[0] == len(migrations.UPGRADES)
        assert (tagged(upgraded, "x"), tagged(upgraded, "y")) == (["a", "b"], ["b"])
        a = upgraded.runs.get("ent", "proj", "a")
        upgraded.runs.update(a.id, {"tags": ["y"]})  # the triggers are in place from now on
        assert (tagged(upgraded, "x"), tagged(upgraded, "y")) == (["b"], ["a", "b"])
    with Store(tmp_path) as reopened:  # upgrades run once
        assert len(tag_rows(reopened)) == 3
