"""Run listings that SQLite answers from indexes instead of scanning every run.

Plans, not timings: the statements the store runs are captured and explained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from emulator import Store
from emulator.store import Run


@pytest.fixture
def seeded() -> Iterator[tuple[Store, int]]:
    store = Store()
    project = store.projects.ensure_project("ent", "proj")
    store.runs.insert(project.id, [
        Run(
            name=f"run-{index}", state=("finished", "failed")[index % 2],
            group=f"sweep-{index % 3}" if index % 4 else None, job_type="train",
            created_at=f"2024-01-01T00:00:{index:02d}",
            heartbeat_at=None if index % 5 == 0 else f"2024-01-02T00:00:{index:02d}",
        )
        for index in range(40)
    ])
    yield store, project.id
    store.close()


def plans(store: Store, action: Callable[[], Any]) -> list[str]:
    """The query plan of every SELECT that ``action`` runs, one line per statement."""
    statements: list[str] = []
    store.db._conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        store.db._conn.set_trace_callback(None)
    return [
        " | ".join(row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"state": "finished"}, "runs_by_state"),
        ({"state": {"$in": ["finished", "crashed"]}}, "runs_by_state"),
        ({"jobType": "train"}, "runs_by_job_type"),
        ({"group": {"$regex": "^sweep-"}}, "runs_by_group (project_id=? AND group_name>?"),
        ({"heartbeatAt": {"$gte": "2024-01-02T00:00:10"}}, "runs_by_heartbeat"),
    ],
)
def test_counts_read_an_index(seeded: tuple[Store, int], filters: dict, index: str) -> None:
    store, project_id = seeded
    (plan,) = plans(store, lambda: store.runs.count(project_id, filters))
    assert index in plan


@pytest.mark.parametrize(
    ("order", "index"),
    [
        ("-created_at", "runs_by_created"),
        ("+created_at", "runs_by_created"),
        ("-heartbeat_at", "runs_by_heartbeat"),
    ],
)
def test_pages_come_in_index_order(seeded: tuple[Store, int], order: str, index: str) -> None:
    store, project_id = seeded
    first = store.runs.page(project_id, order=order, first=7)
    for after in (None, first.cursors[-1]):
        (plan,) = plans(
            store, lambda a=after: store.runs.page(project_id, order=order, first=7, after=a)
        )
        assert index in plan
        assert "TEMP B-TREE" not in plan


def test_statistics_follow_growth_so_or_filters_use_both_indexes() -> None:
    with Store() as store:
        project = store.projects.ensure_project("ent", "proj")
        for chunk in range(4):
            store.runs.insert(project.id, [
                Run(
                    name=f"run-{chunk}-{index}", state="finished",
                    job_type=("train", "eval")[index % 2],
                    group=f"sweep-{index % 50}" if index % 3 else f"cv-{index % 7}",
                    created_at="2024-01-01T00:00:00",
                )
                for index in range(300)
            ])
        analyzed = store.db.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'runs'")
        assert analyzed[0][0] > 0
        filters = {"$or": [{"group": {"$regex": "^sweep-1"}}, {"jobType": "eval"}]}
        (plan,) = plans(store, lambda: store.runs.count(project.id, filters))
        assert "MULTI-INDEX OR" in plan
