"""Indexes on JSON keys: created when a query first needs one, bounded, and kept in files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.store import Run, Store, wandb_config
from emulator.store.filters import JsonKey
from emulator.store.key_indexes import KeyIndexes, index_name
from emulator.store.store import DB_FILENAME

LR = JsonKey("config", '$."lr"."value"')
LOSS = JsonKey("summary_metrics", '$."loss"')


def existing(store: Store) -> set[str]:
    rows = store.db.execute("SELECT name FROM sqlite_master WHERE name GLOB 'runs_key_*'")
    return {row[0] for row in rows}


def seed(store: Store, runs: int = 5) -> int:
    project = store.projects.ensure_project("ent", "proj")
    store.runs.insert(
        project.id,
        [
            Run(
                name=f"run-{index}",
                created_at=f"2024-01-01T00:00:{index:02d}",
                config=wandb_config({"lr": index / 10}),
                summary_metrics={"loss": 1 - index / 10},
            )
            for index in range(runs)
        ],
    )
    return project.id


@pytest.fixture
def store() -> Iterator[Store]:
    with Store() as store:
        yield store


def test_queries_create_the_indexes_they_need(store: Store) -> None:
    project_id = seed(store)
    assert existing(store) == set()
    store.runs.count(project_id, {"state": "finished", "config.lr": {"$ne": 0.1}})
    assert existing(store) == set()  # nothing an index on a JSON key could answer
    assert store.runs.count(project_id, {"config.lr": {"$gte": 0.2}}) == 3
    assert existing(store) == {index_name(LR)}
    page = store.runs.page(project_id, order="-summary_metrics.loss", first=2)
    assert [run.name for run in page.runs] == ["run-0", "run-1"]
    assert existing(store) == {index_name(LR), index_name(LOSS)}
    assert store.runs.indexes.names() == [index_name(LR), index_name(LOSS)]
    (sql,) = store.db.one("SELECT sql FROM sqlite_master WHERE name = ?", (index_name(LR),))
    # Runs with equal keys in id order, and the display name for name searches.
    assert sql.endswith(f"(project_id, {LR.call('json_extract', table=None)}, id, display_name)")


def test_names_are_digests_of_the_indexed_columns() -> None:
    assert index_name(LR) == index_name(JsonKey("config", '$."lr"."value"'))
    assert index_name(LR) != index_name(JsonKey("summary_metrics", '$."lr"."value"'))
    assert index_name(LR).startswith("runs_key_") and index_name(LR).isidentifier()


def test_at_most_limit_indexes_are_kept_dropping_the_least_recently_used(store: Store) -> None:
    seed(store)
    indexes = KeyIndexes(store.db, limit=2)
    keys = [JsonKey("config", f'$."k{index}"."value"') for index in range(3)]
    indexes.ensure([keys[0]])
    indexes.ensure([keys[1]])
    indexes.ensure([keys[0]])  # used again: keys[1] is now the least recently used
    indexes.ensure([keys[2]])
    assert existing(store) == {index_name(keys[0]), index_name(keys[2])}
    indexes.ensure(keys)  # more than the limit in one query: the first two by name
    assert len(existing(store)) == 2


def test_clear_drops_them_and_queries_create_them_again(store: Store) -> None:
    store.runs.count(seed(store), {"config.lr": 0.1})
    store.clear()
    assert existing(store) == set()
    assert store.runs.count(seed(store), {"config.lr": 0.1}) == 1
    assert existing(store) == {index_name(LR)}


def test_indexes_outlive_a_restart_and_others_dropping_them(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.runs.count(seed(store), {"config.lr": 0.1})
    with Store(tmp_path) as reopened:
        assert reopened.runs.indexes.names() == [index_name(LR)]
        conn = sqlite3.connect(tmp_path / DB_FILENAME)  # another connection drops it
        conn.execute(f"DROP INDEX {index_name(LR)}")
        conn.close()
        project_id = reopened.projects.project("ent", "proj").id
        assert reopened.runs.count(project_id, {"config.lr": 0.1}) == 1
        assert existing(reopened) == {index_name(LR)}


def test_new_indexes_get_statistics_once_the_runs_have_them(store: Store) -> None:
    project_id = seed(store)
    store.runs.count(project_id, {"config.lr": 0.1})
    assert not store.db.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
    store.db.execute("ANALYZE runs")
    store.runs.count(project_id, {"summary_metrics.loss": 0.1})
    analyzed = store.db.execute("SELECT 1 FROM sqlite_stat1 WHERE idx = ?", (index_name(LOSS),))
    assert analyzed
