"""B7: sampled history: ``run.history(samples=500)`` of one long run, and
``runs.histories(samples=500)`` over a project of many runs.

Through our client and the real SDK, over HTTP to an in-thread emulator. Baselines read
about ``samples`` evenly spaced rows per run from a plain ``sqlite3`` table
(``line % k = 0``) and decode them with ``json.loads``.
"""

from __future__ import annotations

from typing import Any

from benchmarks.context import Context
from benchmarks.data import API_KEY, ENTITY, PlainDB, add_run, build_runs
from benchmarks.features import missing_methods, missing_run_fields
from benchmarks.harness import Baseline, Row, below, measure, not_available
from benchmarks.history import PATH, long_run_served, plain_rows
from benchmarks.sdk import sdk_api, sdk_env
from benchmarks.sizes import Sizes
from client import Api
from client import Run as ClientRun
from client import Runs as ClientRuns
from emulator import Store

PROJECT = "histories"
ONE_TARGET = (below(0.050, "< 50 ms"),)
MANY_TARGET = (below(2.0, "< 2 s"),)


def _sampled(db: PlainDB, run_id: int, lines: int, samples: int) -> list[dict[str, Any]]:
    every = max(1, lines // samples)
    return plain_rows(db, run_id, f"AND line % {every} = 0")


def _rows(
    id_: str,
    ours: list[float],
    theirs: list[float],
    baseline: Baseline,
    size: str,
    what: str,
    target: tuple,
) -> list[Row]:
    return [
        Row(
            id_,
            f"{what}, our client",
            size,
            ours,
            baseline=baseline,
            target=target,
            note=f"client.Api: {what}, list of dicts",
        ),
        Row(
            id_,
            f"{what}, wandb SDK",
            size,
            theirs,
            baseline=baseline,
            note=f"wandb.Api: {what}, list of dicts",
        ),
    ]


def _unavailable(sizes: Sizes) -> list[Row] | None:
    missing = missing_methods(ClientRun, "history") + missing_methods(ClientRuns, "histories")
    missing += [f"Run.{name} in the schema" for name in missing_run_fields("sampledHistory")]
    if not missing:
        return None
    reason = ", ".join(missing)
    one, many = _sizes_text(sizes)
    return [
        not_available(
            "B7", f"history(samples={sizes.samples}), our client", one, reason, target=ONE_TARGET
        ),
        not_available(
            "B7",
            f"runs.histories(samples={sizes.samples}), our client",
            many,
            reason,
            target=MANY_TARGET,
        ),
    ]


def _sizes_text(sizes: Sizes) -> tuple[str, str]:
    return (
        f"1 run x {sizes.scan_steps:,} rows",
        f"{sizes.histories_runs} runs x {sizes.histories_steps:,} steps",
    )


def run(ctx: Context) -> list[Row]:
    """Rows for one run's sampled history and for ``Runs.histories`` (ours and the SDK's)."""
    sizes = ctx.sizes
    unavailable = _unavailable(sizes)
    if unavailable is not None:
        return unavailable
    one, many = _sizes_text(sizes)
    built = build_runs(PROJECT, sizes.histories_runs, sizes.histories_steps)

    def add_project(store: Store) -> None:
        for seeded in built:
            add_run(store, PROJECT, seeded)

    with long_run_served(sizes.scan_steps, add_project) as (server, db, total):
        lines = [db.add_history(run_id, item.history) for run_id, item in enumerate(built, 2)]
        repeat = sizes.sample_repeat
        one_base = Baseline(
            "sqlite3 query of every k-th row + json.loads",
            measure(lambda _: _sampled(db, 1, total, sizes.samples), repeat),
        )
        many_base = Baseline(
            "the same per run",
            measure(
                lambda _: [
                    _sampled(db, run_id, count, sizes.samples)
                    for run_id, count in enumerate(lines, 2)
                ],
                repeat,
            ),
        )
        path = f"{ENTITY}/{PROJECT}"
        with Api(base_url=server.url, api_key=API_KEY) as api:
            ours_one = measure(
                lambda _: api.run(PATH).history(samples=sizes.samples, pandas=False),
                repeat,
                setup=api.flush,
            )
            ours_many = measure(lambda _: api.runs(path).histories(samples=sizes.samples), repeat)
        with sdk_env(server.url, ctx.scratch("sdk")):
            sdk = sdk_api()
            theirs_one = measure(
                lambda _: sdk.run(PATH).history(samples=sizes.samples, pandas=False),
                repeat,
                setup=sdk.flush,
            )
            theirs_many = measure(
                lambda _: sdk.runs(path).histories(samples=sizes.samples), repeat, setup=sdk.flush
            )
    return [
        *_rows(
            "B7",
            ours_one,
            theirs_one,
            one_base,
            one,
            f"history(samples={sizes.samples})",
            ONE_TARGET,
        ),
        *_rows(
            "B7",
            ours_many,
            theirs_many,
            many_base,
            many,
            f"runs.histories(samples={sizes.samples})",
            MANY_TARGET,
        ),
    ]
