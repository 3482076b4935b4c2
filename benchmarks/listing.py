"""B4: list every run of a big project, through our client and through the real SDK.

Both talk HTTP to an in-thread emulator over a memory store, iterating ``api.runs(path,
per_page=N)`` to the end. Baseline: one ``sqlite3`` query of the same columns from a
plain table of the same runs, plus ``json.dumps`` of the rows: the data read and encoded
the most direct way.
"""

from __future__ import annotations

import json

from benchmarks.context import Context
from benchmarks.data import API_KEY, ENTITY, LISTED_COLUMNS, PlainDB, seed, serving
from benchmarks.harness import Baseline, Row, above, exhausting, measure
from benchmarks.sdk import sdk_api, sdk_env
from client import Api
from emulator import Store

PAGE_SIZES = (50, 1000)
TARGET = (above(10_000, "> 10k runs/s"),)
PROJECT = "listing"


def plain_listing(db: PlainDB) -> str:
    """Every run's listed columns in creation order, as one JSON document."""
    columns = ", ".join(LISTED_COLUMNS)
    cursor = db.conn.execute(f"SELECT id, {columns} FROM runs ORDER BY created_at, id")
    names = ["id", *LISTED_COLUMNS]
    return json.dumps([dict(zip(names, row, strict=True)) for row in cursor])


def run(ctx: Context) -> list[Row]:
    """Rows for our client and the SDK at each page size, against the same baseline."""
    sizes = ctx.sizes
    store = Store()
    runs = seed(store, PROJECT, sizes.list_runs, steps=0)
    total = len(runs)
    db = PlainDB()
    db.add_runs(runs)
    baseline = Baseline(
        "sqlite3 query + json.dumps",
        measure(lambda _: plain_listing(db), sizes.list_repeat),
        count=total,
    )
    db.close()
    path = f"{ENTITY}/{PROJECT}"
    size = f"{total:,} runs"
    rows = []
    with serving(store) as server:
        with Api(base_url=server.url, api_key=API_KEY) as api:
            for per_page in PAGE_SIZES:
                listing = exhausting(lambda p=per_page: api.runs(path, per_page=p), total, "runs")
                rows.append(
                    Row(
                        "B4",
                        f"list runs, our client, per_page {per_page}",
                        size,
                        measure(listing, sizes.list_repeat),
                        count=total,
                        count_unit="runs",
                        baseline=baseline,
                        target=TARGET,
                        note="client.Api over HTTP to an in-thread emulator",
                    )
                )
        with sdk_env(server.url, ctx.scratch("sdk")):
            sdk = sdk_api()
            for per_page in PAGE_SIZES:
                listing = exhausting(lambda p=per_page: sdk.runs(path, per_page=p), total, "runs")
                # wandb.Api caches Runs objects per path and filters: start afresh each time.
                samples = measure(listing, sizes.list_repeat, setup=sdk.flush)
                rows.append(
                    Row(
                        "B4",
                        f"list runs, wandb SDK, per_page {per_page}",
                        size,
                        samples,
                        count=total,
                        count_unit="runs",
                        baseline=baseline,
                        note="wandb.Api().runs() over HTTP to the same server",
                    )
                )
    store.close()
    return rows
