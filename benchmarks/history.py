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
from benchmarks.harness import (
    Baseline,
    Row,
    Samples,
    above,
    below,
    exhausting,
    joined,
    measure,
    not_available,
)
from benchmarks.sdk import sdk_api, sdk_env
from client import Api
from client import Run as ClientRun
from emulator import EmulatorServer, Store
from fixtures.factories import SeededRun

PROJECT = "history"
RUN_NAME = "longrun1"
PATH = f"{ENTITY}/{PROJECT}/{RUN_NAME}"
TARGET = (above(100_000, "> 100k rows/s"), below(3.0, "ratio < 3", metric="ratio"))


@contextmanager
def long_run_served(
    steps: int, extra: Callable[[Store], None] | None = None, *, seeded: SeededRun | None = None
) -> Iterator[tuple[EmulatorServer, PlainDB, int]]:
    """A served store holding run ``bench/history/longrun1`` with ``steps`` history rows
    (``seeded``, or built here), and a plain database holding the same rows (run id 1).
    ``extra`` may add more data to the store."""
    seeded = seeded or long_run(seed=1, steps=steps, name=RUN_NAME)
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


def _scan_ours(api: Api, total: int) -> Callable[[Any], None]:
    def scan(_: Any) -> None:
        api.flush()
        exhausting(lambda: api.run(PATH).scan_history(), total, "rows")(None)

    return scan


def _scan_sdk(total: int) -> Callable[[Any], None]:
    sdk = sdk_api()

    def scan(_: Any) -> None:
        sdk.flush()
        exhausting(lambda: sdk.run(PATH).scan_history(use_cache=False), total, "rows")(None)

    return scan


def _first_scans(ctx: Context, seeded: SeededRun) -> tuple[Samples, Samples]:
    """Seconds of the first scan of the run on a fresh server (it builds the run's parquet
    export), by our client and by the SDK, ``scan_repeat`` times each."""
    ours: list[Samples] = []
    theirs: list[Samples] = []
    for _ in range(ctx.sizes.scan_repeat):
        with (
            long_run_served(0, seeded=seeded) as (server, _, total),
            Api(base_url=server.url, api_key=API_KEY) as api,
        ):
            ours.append(measure(_scan_ours(api, total), 1))
        with (
            long_run_served(0, seeded=seeded) as (server, _, total),
            sdk_env(server.url, ctx.scratch("sdk")),
        ):
            theirs.append(measure(_scan_sdk(total), 1))
    return joined(ours), joined(theirs)


def run(ctx: Context) -> list[Row]:
    """Rows for the first scan of a run and for later scans, by our client and the SDK."""
    sizes = ctx.sizes
    size = f"1 run x {sizes.scan_steps:,} rows"
    unavailable = _unavailable(size)
    if unavailable is not None:
        return unavailable
    seeded = long_run(seed=1, steps=sizes.scan_steps, name=RUN_NAME)
    first_ours, first_theirs = _first_scans(ctx, seeded)
    with long_run_served(0, seeded=seeded) as (server, db, total):
        baseline = Baseline(
            "sqlite3 query + json.loads",
            measure(lambda _: plain_rows(db, 1), sizes.scan_repeat),
            count=total,
        )
        with Api(base_url=server.url, api_key=API_KEY) as api:
            scan = _scan_ours(api, total)
            scan(None)  # the first scan builds the export; measured above
            again_ours = measure(scan, sizes.scan_repeat)
        with sdk_env(server.url, ctx.scratch("sdk")):
            again_theirs = measure(_scan_sdk(total), sizes.scan_repeat)
    rows = []
    for who, first, again, target in (
        ("our client", first_ours, again_ours, TARGET),
        ("wandb SDK", first_theirs, again_theirs, ()),
    ):
        rows += [
            Row(
                "B6",
                f"scan_history, {who}, first scan of the run",
                size,
                first,
                count=total,
                count_unit="rows",
                baseline=baseline,
                target=target,
                note="on a fresh server: includes building the run's parquet export",
            ),
            Row(
                "B6",
                f"scan_history, {who}, later scans",
                size,
                again,
                count=total,
                count_unit="rows",
                baseline=baseline,
                target=target,
                note="the export is kept until the history changes",
            ),
        ]
    return rows
