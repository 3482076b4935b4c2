"""B2: what the pytest plugin does before each test: a clean store, then a small seed.

Measured exactly as the plugin runs it (``EmulatorHandle.fresh`` then ``handle.seed``)
against a live session server, with the default memory store and with ``data_dir``.
Like the tests of a session, the first sample seeds the store and keeps an image of it;
the later ones restore that image (the note gives the first sample's time).
Baseline: a fresh ``sqlite3`` memory database with two plain tables, the same runs and
history rows (built beforehand) JSON-encoded and inserted with ``executemany``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.context import Context
from benchmarks.data import ENTITY, PlainDB, build_runs, serving
from benchmarks.harness import Baseline, Row, Samples, below, measure
from benchmarks.report import format_seconds
from emulator import Store
from emulator.state import state_of
from fixtures.config import PluginConfig
from fixtures.factories import SeededRun
from fixtures.handle import EmulatorHandle
from fixtures.seed_cache import SeedCache

TARGET = (below(0.010, "median < 10 ms"),)


def _baseline(seeded: list[SeededRun]) -> None:
    db = PlainDB()
    db.add_runs(item.run for item in seeded)
    for run_id, item in enumerate(seeded, 1):
        db.add_history(run_id, item.history)
    db.close()


def _plugin_samples(ctx: Context, data_dir: Path | None) -> tuple[Samples, int]:
    sizes = ctx.sizes
    config = PluginConfig(seed=0, steps=sizes.isolation_steps, entity=ENTITY, data_dir=data_dir)
    seeded_rows: list[int] = []

    def one_test(server: Any) -> None:
        handle = EmulatorHandle.fresh(server, config, seeds)
        runs = handle.seed(project="demo", runs=sizes.isolation_runs)
        seeded_rows.append(sum(run.history_line_count for run in runs))

    with serving(Store(data_dir)) as server:
        seeds = SeedCache(state_of(server.app).store)
        samples = measure(one_test, sizes.isolation_repeat, setup=lambda: server)
        state_of(server.app).store.close()
    return samples, seeded_rows[-1]


def run(ctx: Context) -> list[Row]:
    """Rows for the memory store (the plugin's default) and for a ``data_dir`` store."""
    sizes = ctx.sizes
    size = f"{sizes.isolation_runs} runs x {sizes.isolation_steps} steps"
    seeded = build_runs("demo", sizes.isolation_runs, sizes.isolation_steps)
    baseline = Baseline(
        "sqlite3 :memory: + executemany of the prebuilt rows",
        measure(lambda _: _baseline(seeded), sizes.isolation_repeat),
    )
    rows = []
    for label, data_dir in (("memory store", None), ("data_dir store", ctx.scratch("plugin"))):
        samples, history_rows = _plugin_samples(ctx, data_dir)
        rows.append(
            Row(
                "B2",
                f"plugin isolation: clean {label} + seed",
                size,
                samples,
                count=history_rows,
                count_unit="rows",
                baseline=baseline,
                target=TARGET,
                note=f"EmulatorHandle.fresh + seed({sizes.isolation_runs} runs), {history_rows}"
                " history rows, against a live session server; the first of the"
                f" {len(samples)} samples seeds and keeps an image"
                f" ({format_seconds(samples[0])}), the others restore it",
            )
        )
    return rows
