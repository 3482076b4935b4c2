"""B5: six representative run filters and orders over a big project: first page and runCount.

Each sample is what ``len(api.runs(path, filters, order))`` costs through our client: one
request for the first page of 50 and the filtered ``runCount``. Baseline: the same
condition and order written by hand in SQL over a plain table of the same runs
(``json_extract`` for config and summary keys), the page JSON-encoded, plus ``COUNT(*)``.
Every sample also checks that both give the same count and the same first page.

Conditions and orders on JSON keys read indexes on those keys, which the first query using
a key creates. The six cases run as they come, so the first sample of a case pays for the
indexes it creates first; one more row measures that first query alone (no target): the
config range case, whose indexes are dropped before each sample.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from benchmarks.context import Context
from benchmarks.data import API_KEY, ENTITY, PlainDB, seed, serving
from benchmarks.harness import Baseline, Row, below, measure
from client import Api
from emulator import Store
from emulator.store.filters import compile_filters, compile_order

PROJECT = "filtering"
PAGE = 50
TARGET = (below(0.100, "median < 100 ms"),)


@dataclass(frozen=True)
class Case:
    """A filter and order as the API takes them, and the hand-written SQL equivalent."""

    name: str
    filters: dict[str, Any]
    order: str
    where: str
    order_by: str
    params: tuple[Any, ...] = ()


CASES = (
    Case("no filter, newest first", {}, "-created_at", "1", "created_at DESC, id DESC"),
    Case(
        "state, oldest first",
        {"state": "finished"},
        "+created_at",
        "state = 'finished'",
        "created_at, id",
    ),
    Case(
        "config range, by summary metric",
        {"$and": [{"config.lr": {"$gte": 1e-4}}, {"config.lr": {"$lt": 1e-2}}]},
        "+summary_metrics.loss",
        "json_extract(config, '$.lr.value') >= 1e-4 AND json_extract(config, '$.lr.value') < 1e-2",
        "json_extract(summary_metrics, '$.loss') IS NULL, json_extract(summary_metrics, '$.loss'),"
        " id",
    ),
    Case(
        "tags $in, by config value",
        {"tags": {"$in": ["baseline", "production"]}},
        "-config.batch_size",
        "EXISTS (SELECT 1 FROM json_each(tags) t WHERE t.value IN ('baseline', 'production'))",
        "json_extract(config, '$.batch_size.value') IS NULL,"
        " json_extract(config, '$.batch_size.value') DESC, id DESC",
    ),
    Case(
        "$or of group regex and jobType, by heartbeat",
        {"$or": [{"group": {"$regex": "^sweep-"}}, {"jobType": "eval"}]},
        "-heartbeat_at",
        "group_name REGEXP '^sweep-' OR job_type = 'eval'",
        "heartbeat_at IS NULL, heartbeat_at DESC, id DESC",
    ),
    Case(
        "name search and summary threshold, by summary metric",
        {
            "$and": [
                {"displayName": {"$regex": "river"}},
                {"summary_metrics.accuracy": {"$gte": 0.8}},
            ]
        },
        "-summary_metrics.accuracy",
        "display_name REGEXP 'river' AND json_extract(summary_metrics, '$.accuracy') >= 0.8",
        "json_extract(summary_metrics, '$.accuracy') IS NULL,"
        " json_extract(summary_metrics, '$.accuracy') DESC, id DESC",
    ),
)


def _regexp(pattern: str, value: Any) -> bool:
    return isinstance(value, str) and re.search(pattern, value) is not None


def plain_query(db: PlainDB, case: Case) -> tuple[int, list[str]]:
    """The baseline: count and first page (names) of ``case``; the page is JSON-encoded."""
    count = db.conn.execute(f"SELECT COUNT(*) FROM runs WHERE {case.where}").fetchone()[0]
    cursor = db.conn.execute(
        f"SELECT * FROM runs WHERE {case.where} ORDER BY {case.order_by} LIMIT {PAGE}"
    )
    names = [column[0] for column in cursor.description]
    page = [dict(zip(names, row, strict=True)) for row in cursor]
    json.dumps(page)
    return count, [row["name"] for row in page]


def _ours(api: Api, case: Case, expected: tuple[int, list[str]]) -> None:
    runs = api.runs(f"{ENTITY}/{PROJECT}", case.filters, case.order, per_page=PAGE)
    got = (len(runs), [run.id for run in runs.objects[:PAGE]])
    if got != expected:
        raise RuntimeError(f"{case.name}: emulator gave {got[0]} runs, SQL {expected[0]}")


#: The case whose first query (creating its indexes) the last row measures.
FIRST_USE = CASES[2]


def _first_use(
    api: Api,
    store: Store,
    size: str,
    expected: tuple[int, list[str]],
    base: list[float],
    times: int,
) -> Row:
    """The first query of :data:`FIRST_USE`, after dropping every index on a JSON key."""
    case = FIRST_USE
    samples = measure(
        lambda _: _ours(api, case, expected), times, setup=store.runs.indexes.drop_all
    )
    keys = compile_filters(case.filters).json_keys | {compile_order(case.order).key}
    paths = ", ".join(sorted(f"{key.column} {key.path}" for key in keys))
    return Row(
        "B5",
        f"filter: {case.name}, first query (creates {len(keys)} indexes)",
        size,
        samples,
        baseline=Baseline("hand-written SQL + json.dumps", base),
        note=f"the one-time cost of the indexes on {paths}",
    )


def run(ctx: Context) -> list[Row]:
    """One row per case, and one for the first query of :data:`FIRST_USE`."""
    sizes = ctx.sizes
    store = Store()
    runs = seed(store, PROJECT, sizes.filter_runs, steps=2)
    db = PlainDB()
    db.conn.create_function("regexp", 2, _regexp, deterministic=True)
    db.add_runs(runs)
    size = f"{len(runs):,} runs"
    rows = []
    baselines: dict[str, tuple[tuple[int, list[str]], list[float]]] = {}
    with serving(store) as server, Api(base_url=server.url, api_key=API_KEY) as api:
        for case in CASES:
            expected = plain_query(db, case)
            base = measure(lambda _, c=case: plain_query(db, c), sizes.filter_repeat)
            samples = measure(lambda _, c=case, e=expected: _ours(api, c, e), sizes.filter_repeat)
            rows.append(
                Row(
                    "B5",
                    f"filter: {case.name}",
                    size,
                    samples,
                    baseline=Baseline("hand-written SQL + json.dumps", base),
                    target=TARGET,
                    note=f"{json.dumps(case.filters)} order {case.order}: {expected[0]:,} matches",
                )
            )
            baselines[case.name] = (expected, base)
        rows.append(_first_use(api, store, size, *baselines[FIRST_USE.name], sizes.filter_repeat))
    db.close()
    store.close()
    return rows
