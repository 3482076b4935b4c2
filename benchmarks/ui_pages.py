"""B10: the web UI's pages: a project's runs table over a big project, and the page of a
run with a long history.

Each sample is one GET of the page over loopback from an in-thread emulator (server time
plus about a millisecond of HTTP), the HTML read to the end. The runs table is read
three ways: the default order, a filter and a sort on a summary key (whose index the
first request creates, before the samples). The run page is read warm (its chart series
kept from an earlier view, as on every view after the first) and cold (the series
forgotten before each sample: the first view of a run, which reads the store's per-block
extremes of each metric).

Baselines: for the table, a plain ``sqlite3`` query of the same page of 50 runs with
``COUNT(*)``; for the run page, ``samples`` evenly spaced history rows of the run from a
plain table, decoded with ``json.loads`` (what a sampled chart needs at the least).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import httpx

from benchmarks.context import Context
from benchmarks.data import ENTITY, PlainDB, add_run, long_run, seed, serving
from benchmarks.harness import Baseline, Row, below, measure
from benchmarks.history import plain_rows
from emulator import Store
from emulator.state import state_of

PROJECT = "ui"
HISTORY_PROJECT = "ui-history"
RUN = "longrun1"
TARGET = (below(0.200, "median < 200 ms"),)
#: Query strings of the runs-table rows: what each asks for.
TABLES = (
    ("newest first", {}),
    ("state filter", {"filters": json.dumps({"state": "finished"})}),
    ("sorted by a summary key", {"order": "-summary_metrics.loss"}),
)


def _get(http: httpx.Client, url: str) -> None:
    response = http.get(url)
    if response.status_code != 200 or "</html>" not in response.text:
        raise RuntimeError(f"GET {url}: {response.status_code}")


def _plain_table(db: PlainDB) -> list[Any]:
    page = db.conn.execute(
        "SELECT id, name, display_name, state, username, tags, created_at, config,"
        " summary_metrics FROM runs ORDER BY created_at DESC, id DESC LIMIT 50"
    ).fetchall()
    count = db.conn.execute("SELECT COUNT(*) FROM runs").fetchone()
    return [page, count]


def _table_rows(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    store = Store()
    runs = seed(store, PROJECT, sizes.ui_runs, steps=0)
    db = PlainDB()
    db.add_runs(runs)
    baseline = Baseline(
        "sqlite3 page of 50 + COUNT(*)", measure(lambda _: _plain_table(db), sizes.ui_repeat)
    )
    db.close()
    rows = []
    with serving(store) as server, httpx.Client(timeout=60) as http:
        for name, params in TABLES:
            url = f"{server.url}/{ENTITY}/{PROJECT}?{urllib.parse.urlencode(params)}"
            _get(http, url)  # the first view creates the indexes it needs
            rows.append(
                Row(
                    "B10",
                    f"runs table, {name}",
                    f"{len(runs):,} runs",
                    measure(lambda _, u=url: _get(http, u), sizes.ui_repeat),
                    baseline=baseline,
                    target=TARGET,
                    note="GET /entity/project, page of 50",
                )
            )
    store.close()
    return rows


def _run_rows(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    seeded = long_run(seed=1, steps=sizes.ui_steps, name=RUN)
    store = Store()
    add_run(store, HISTORY_PROJECT, seeded)
    db = PlainDB()
    db.add_history(1, seeded.history)
    lines = len(seeded.history)
    every = max(1, lines // sizes.samples)
    baseline = Baseline(
        f"sqlite3 {sizes.samples} sampled rows + json.loads",
        measure(lambda _: plain_rows(db, 1, f"AND line % {every} = 0"), sizes.ui_repeat),
    )
    db.close()
    size = f"{lines:,} history rows"
    rows = []
    with serving(store) as server, httpx.Client(timeout=120) as http:
        url = f"{server.url}/{ENTITY}/{HISTORY_PROJECT}/runs/{RUN}"
        _get(http, url)
        rows.append(
            Row(
                "B10",
                "run page, charts kept",
                size,
                measure(lambda _: _get(http, url), sizes.ui_repeat),
                baseline=baseline,
                target=TARGET,
                note="GET /entity/project/runs/id, a view after the first",
            )
        )
        series = state_of(server.app).ui_series
        rows.append(
            Row(
                "B10",
                "run page, first view",
                size,
                measure(lambda _: _get(http, url), sizes.ui_repeat, setup=series.clear),
                baseline=baseline,
                target=TARGET,
                note="charts from each 128-line block's lowest and highest point",
            )
        )
    store.close()
    return rows


def run(ctx: Context) -> list[Row]:
    """Rows for the runs table and the run page."""
    return _table_rows(ctx) + _run_rows(ctx)
