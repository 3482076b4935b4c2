"""Run listings that SQLite answers from indexes instead of scanning every run.

Plans, not timings: the statements the store runs are captured and explained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from emulator import Store
from emulator.store import Run, wandb_config
from emulator.store.filters import JsonKey
from emulator.store.key_indexes import index_name


@pytest.fixture
def seeded() -> Iterator[tuple[Store, int]]:
    store = Store()
    project = store.projects.ensure_project("ent", "proj")
    store.runs.insert(
        project.id,
        [
            Run(
                name=f"run-{index}",
                state=("finished", "failed")[index % 2],
                group=f"sweep-{index % 3}" if index % 4 else None,
                job_type="train",
                created_at=f"2024-01-01T00:00:{index:02d}",
                heartbeat_at=None if index % 5 == 0 else f"2024-01-02T00:00:{index:02d}",
            )
            for index in range(40)
        ],
    )
    yield store, project.id
    store.close()


def traced(store: Store, action: Callable[[], Any]) -> list[str]:
    """The SQL of every statement that ``action`` runs."""
    statements: list[str] = []
    store.db._conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        store.db._conn.set_trace_callback(None)
    return statements


def explain(store: Store, sql: str) -> str:
    """The query plan of ``sql`` on one line."""
    return " | ".join(row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}"))


def plans(store: Store, action: Callable[[], Any]) -> list[str]:
    """The query plan of every SELECT that ``action`` runs, one line per statement."""
    return [
        explain(store, sql)
        for sql in traced(store, action)
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
            store.runs.insert(
                project.id,
                [
                    Run(
                        name=f"run-{chunk}-{index}",
                        state="finished",
                        job_type=("train", "eval")[index % 2],
                        group=f"sweep-{index % 50}" if index % 3 else f"cv-{index % 7}",
                        created_at="2024-01-01T00:00:00",
                    )
                    for index in range(300)
                ],
            )
        analyzed = store.db.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'runs'")
        assert analyzed[0][0] > 0
        filters = {"$or": [{"group": {"$regex": "^sweep-1"}}, {"jobType": "eval"}]}
        (plan,) = plans(store, lambda: store.runs.count(project.id, filters))
        assert "MULTI-INDEX OR" in plan


# --- JSON keys and tags ----------------------------------------------------------------------


@pytest.fixture
def valued() -> Iterator[tuple[Store, int]]:
    """100 runs: config.lr from 0.00 to 0.99, summary loss on all but every tenth run, and
    tag "rare" on two runs."""
    store = Store()
    project = store.projects.ensure_project("ent", "proj")
    store.runs.insert(
        project.id,
        [
            Run(
                name=f"run-{index}",
                state="finished",
                created_at=f"2024-01-01T00:{index:02d}:00",
                config=wandb_config({"lr": index / 100}),
                summary_metrics={} if index % 10 == 0 else {"loss": (index * 37) % 100 / 10},
                tags=["rare"] if index in (3, 4) else ["common"],
            )
            for index in range(100)
        ],
    )
    yield store, project.id
    store.close()


LR = JsonKey("config", '$."lr"."value"')
LOSS = JsonKey("summary_metrics", '$."loss"')


def run_plans(store: Store, action: Callable[[], Any]) -> list[str]:
    """The plans of the statements over the runs table that ``action`` runs."""
    return [plan for plan in plans(store, action) if "runs_key_" in plan or " r " in plan]


@pytest.mark.parametrize(
    "filters",
    [
        {"config.lr": {"$gte": 0.2, "$lt": 0.5}},
        {"config.lr": {"$gt": 0.9}},
        {"config.lr": {"$lte": 0.01}},
        {"config.lr": 0.5},
        {"config.lr": {"$in": [0.5, 0.25]}},
        {"config.lr": {"$exists": False}},
    ],
)
def test_json_key_counts_read_the_key_index(valued: tuple[Store, int], filters: dict) -> None:
    store, project_id = valued
    (plan,) = run_plans(store, lambda: store.runs.count(project_id, filters))
    assert f"USING INDEX {index_name(LR)} (project_id=? AND <expr>" in plan


@pytest.mark.parametrize("order", ["+summary_metrics.loss", "-summary_metrics.loss"])
def test_pages_by_a_json_key_come_in_index_order(valued: tuple[Store, int], order: str) -> None:
    store, project_id = valued
    after, seen = None, 0
    while True:  # pages of 40: within keyed runs, across to the keyless, and among them
        statements = run_plans(
            store, lambda a=after: store.runs.page(project_id, order=order, first=40, after=a)
        )
        page = store.runs.page(project_id, order=order, first=40, after=after)
        for plan in statements:
            assert index_name(LOSS) in plan and "TEMP B-TREE" not in plan
        seen += len(page.runs)
        if not page.has_next_page:
            break
        after = page.cursors[-1]
    assert seen == 100


def test_page_after_a_cursor_starts_at_the_cursor(valued: tuple[Store, int]) -> None:
    store, project_id = valued
    first = store.runs.page(project_id, order="-summary_metrics.loss", first=5)
    (plan, _) = run_plans(
        store,
        lambda: store.runs.page(
            project_id, order="-summary_metrics.loss", first=90, after=first.cursors[-1]
        ),
    )
    assert f"{index_name(LOSS)} (project_id=? AND <expr><?)" in plan


@pytest.mark.parametrize(
    ("filters", "walks"),
    [
        ({"config.lr": {"$gte": 0.1}}, True),  # 90 runs: walk the order, test each run
        ({"config.lr": {"$lt": 0.02}}, False),  # 2 runs: find them, then sort them
        ({"tags": "common"}, True),
        ({"tags": "rare"}, False),
    ],
)
def test_pages_walk_the_order_index_unless_few_runs_match(
    valued: tuple[Store, int], filters: dict, walks: bool
) -> None:
    store, project_id = valued
    order = "+summary_metrics.loss"
    statements = traced(
        store, lambda: store.runs.page(project_id, filters=filters, order=order, first=1)
    )
    probe, keyed, *_ = [sql for sql in statements if "FROM runs r" in sql]
    assert probe.startswith("SELECT COUNT(*)")
    plan = explain(store, keyed)
    # A walk keeps SQLite from answering the filter from an index with a unary plus.
    assert ("AND (+(" in keyed) == walks
    if walks:
        assert index_name(LOSS) in plan and "TEMP B-TREE" not in plan
    elif "config.lr" in filters:
        assert index_name(LR) in plan and "TEMP B-TREE FOR ORDER BY" in plan


@pytest.mark.parametrize(
    "filters",
    [
        {"summary_metrics.loss": {"$gt": 1}},  # the order's own index
        {"username": "nobody"},  # no index
        {"config.lr": {"$ne": 0.5}},  # no index answers a negation
    ],
)
def test_pages_count_nothing_first_when_no_other_index_could_answer(
    valued: tuple[Store, int], filters: dict
) -> None:
    store, project_id = valued
    statements = traced(
        store, lambda: store.runs.page(project_id, filters=filters, order="-summary_metrics.loss")
    )
    assert not [sql for sql in statements if sql.startswith("SELECT COUNT(*)")]


def test_a_filter_on_the_order_key_reads_its_range(valued: tuple[Store, int]) -> None:
    store, project_id = valued
    filters = {"summary_metrics.loss": {"$gte": 5}, "state": {"$regex": "fin"}}
    (plan,) = run_plans(
        store,
        lambda: store.runs.page(
            project_id, filters=filters, order="-summary_metrics.loss", first=10
        ),
    )
    assert f"{index_name(LOSS)} (project_id=? AND <expr>>? AND <expr><?)" in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.parametrize(
    "filters",
    [{"tags": "rare"}, {"tags": {"$in": ["rare", "other"]}}, {"tags": {"$regex": "^ra"}}],
)
def test_tag_filters_read_the_tags_table(valued: tuple[Store, int], filters: dict) -> None:
    store, project_id = valued
    (plan,) = run_plans(store, lambda: store.runs.count(project_id, filters))
    assert "run_tags" in plan and "json_each" not in plan
    assert store.runs.count(project_id, filters) == 2
