"""B6: ``scan_history()`` of one long run, through our client and through the real SDK.

Both iterate every row over HTTP from an in-thread emulator over a memory store.
Baseline: the same rows read from a plain ``sqlite3`` table (JSON text per row, as
logged) and decoded with ``json.loads``: what a reader gets the most direct way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.context import Context
from benchmarks.data import API_KEY, ENTITY, PlainDB, add_run, long_run, serving
from benchmarks.features import missing_methods, missing_run_fields
from benchmarks.harness import Baseline, Row, above, below, exhausting, measure, not_available
from benchmarks.report import format_seconds
from benchmarks.sdk import sdk_api, sdk_env
from client import Api
from client import Run as ClientRun
from emulator import EmulatorServer, Store

PROJECT = "history"
RUN_NAME = "longrun1"
PATH = f"{ENTITY}/{PROJECT}/{RUN_NAME}"
TARGET = (above(100_000, "> 100k rows/s"), below(3.0, "ratio < 3", metric="ratio"))


@contextmanager
def long_run_served(steps: int, extra: Callable[[Store], None] | None = None) -> Iterator[
    tuple[EmulatorServer, PlainDB, int]
]:
    """A served store holding run ``bench/history/longrun1`` with ``steps`` history rows,
    and a plain database holding the same rows (run id 1). ``extra`` may add more data."""
    seeded = long_run(seed=1, steps=steps, name=RUN_NAME)
    store = Store()
    add_run(store, PROJECT, seeded)
    if extra is not None:
        extra(store)
    db = PlainDB()
    db.add_history(1, seeded.history)
    try:
        with serving(store) as server:
            yield server, db, len(seeded.history)
    finally:
        db.close()
        store.close()


def plain_rows(db: PlainDB, run_id: int, where: str = "") -> list[dict[str, Any]]:
    """A run's history rows (all, or those matching ``where``) decoded, in line order."""
    cursor = db.conn.execute(
        f"SELECT row FROM history WHERE run_id = ? {where} ORDER BY line", (run_id,)
    )
    return [json.loads(row[0]) for row in cursor]


def _unavailable(size: str) -> list[Row] | None:
    missing = missing_methods(ClientRun, "scan_history") + [
        f"Run.{name} in the schema" for name in missing_run_fields("history")
    ]
    if not missing:
        return None
    reason = ", ".join(missing)
    return [
        not_available("B6", "scan_history, our client", size, reason, target=TARGET),
        not_available("B6", "scan_history, wandb SDK", size, reason),
    ]


def run(ctx: Context) -> list[Row]:
    """A row for our client (with the target) and one for the SDK."""
    sizes = ctx.sizes
    size = f"1 run x {sizes.scan_steps:,} rows"
    unavailable = _unavailable(size)
    if unavailable is not None:
        return unavailable
    with long_run_served(sizes.scan_steps) as (server, db, total):
        baseline = Baseline(
            "sqlite3 query + json.loads", measure(lambda _: plain_rows(db, 1), sizes.scan_repeat),
            count=total,
        )
        with Api(base_url=server.url, api_key=API_KEY) as api:
            ours = measure(
                exhausting(lambda: api.run(PATH).scan_history(), total, "rows"), sizes.scan_repeat,
                setup=api.flush,
            )
        with sdk_env(server.url, ctx.scratch("sdk")):
            sdk = sdk_api()
            theirs = measure(
                exhausting(lambda: sdk.run(PATH).scan_history(use_cache=False), total, "rows"),
                sizes.scan_repeat, setup=sdk.flush,
            )
    return [
        Row("B6", "scan_history, our client", size, ours, count=total, count_unit="rows",
            baseline=baseline, target=TARGET,
            note=f"client.Api().run(path).scan_history(); the first scan of the run took"
            f" {format_seconds(ours[0])}, the median is of all {len(ours)}"),
        Row("B6", "scan_history, wandb SDK", size, theirs, count=total, count_unit="rows",
            baseline=baseline,
            note=f"wandb.Api().run(path).scan_history(use_cache=False); first scan"
            f" {format_seconds(theirs[0])}"),
    ]
