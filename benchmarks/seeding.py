"""B3: seed many runs with long histories, into memory and into a ``--data-dir`` store.

Measured through ``fixtures.seeding.seed_project`` (what ``wandb-emulator seed``, the admin
route and the plugin use), so the time includes generating the data. Baseline: the same
history rows, built beforehand run by run (untimed), JSON-encoded and inserted with
``executemany`` into one plain table, in memory and in a WAL file; only writing is timed.
"""

from __future__ import annotations

import time
from pathlib import Path

from faker import Faker

from benchmarks.context import Context
from benchmarks.data import ENTITY, PlainDB, seed
from benchmarks.harness import Baseline, Row, above, measure
from benchmarks.sizes import Sizes
from emulator import Store
from fixtures.factories import base_time, iter_project_runs

TARGET = (above(200_000, "> 200k rows/s"),)


def _seed_once(sizes: Sizes, data_dir: Path | None, counted: list[int]) -> None:
    store = Store(data_dir)
    runs = seed(store, "seeded", sizes.seed_runs, sizes.seed_steps)
    store.close()
    counted.append(sum(run.history_line_count for run in runs))


def _baseline_once(sizes: Sizes, path: str) -> float:
    """Seconds spent writing (not generating) the same rows into a plain table."""
    fake = Faker(providers=["fixtures.providers"])
    fake.seed_instance(0)
    db = PlainDB(path)
    if path != ":memory:":
        db.conn.execute("PRAGMA journal_mode = WAL")
        db.conn.execute("PRAGMA synchronous = NORMAL")
    spent = 0.0
    built = iter_project_runs(
        fake,
        entity=ENTITY,
        project="seeded",
        username=ENTITY,
        runs=sizes.seed_runs,
        steps=sizes.seed_steps,
        start=base_time(fake),
    )
    for run_id, seeded in enumerate(built, 1):
        start = time.perf_counter()
        db.add_history(run_id, seeded.history)
        spent += time.perf_counter() - start
    start = time.perf_counter()
    db.close()
    return spent + time.perf_counter() - start


def _row(ctx: Context, label: str) -> Row:
    sizes = ctx.sizes
    counted: list[int] = []
    if label == "memory":
        samples = measure(lambda _: _seed_once(sizes, None, counted), sizes.seed_repeat)
        base = [_baseline_once(sizes, ":memory:") for _ in range(sizes.seed_repeat)]
    else:
        samples = measure(
            lambda d: _seed_once(sizes, d, counted),
            sizes.seed_repeat,
            setup=lambda: ctx.scratch("seed"),
        )
        base = [
            _baseline_once(sizes, str(ctx.scratch("plain") / "plain.sqlite3"))
            for _ in range(sizes.seed_repeat)
        ]
    size = f"{sizes.seed_runs:,} runs x {sizes.seed_steps:,} steps"
    return Row(
        "B3",
        f"seed_project into {label}",
        size,
        samples,
        count=counted[-1],
        count_unit="rows",
        baseline=Baseline(
            f"json + executemany into a plain table ({label})", base, count=counted[-1]
        ),
        target=TARGET,
        note=f"{counted[-1]:,} history rows (stopped runs log fewer); includes generating"
        " runs, histories and system events with Faker",
    )


def run(ctx: Context) -> list[Row]:
    """One row per store kind; throughput counts history rows actually written."""
    return [_row(ctx, "memory"), _row(ctx, "data-dir")]
