"""``python -m benchmarks [--quick | --sizes PRESET] [--only B1,B4] [--set NAME=VALUE] ...``.

Runs the workloads, prints one Markdown table (with the machine it ran on) and writes
every sample as JSON (``bench-results/<preset>.json`` unless ``--json`` says otherwise).
Exits non-zero only when a workload fails with an error; missed targets are results.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.context import Context
from benchmarks.harness import ERROR, Row
from benchmarks.report import header, machine_info, notes, table, write_json
from benchmarks.sizes import PRESETS

#: Workload id -> (module under ``benchmarks``, what it measures).
WORKLOADS: dict[str, tuple[str, str]] = {
    "B1": ("startup", "server start until /healthz answers"),
    "B2": ("isolation", "per-test isolation in the pytest plugin"),
    "B3": ("seeding", "seeding runs with history, memory and --data-dir"),
    "B4": ("listing", "listing runs: our client and the real SDK"),
    "B5": ("filtering", "filters and orders: first page and runCount"),
    "B6": ("history", "scan_history of a long run"),
    "B7": ("sampling", "sampled history and runs.histories()"),
    "B8": ("sdk_logging", "wandb.init + log + finish, online vs offline"),
    "B9": ("memory", "peak server memory holding the seeded history"),
    "B10": ("ui_pages", "web UI: runs table of a big project, page of a long run"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the quick preset (< 1 minute)")
    parser.add_argument("--sizes", choices=sorted(PRESETS), default=None, help="size preset")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one size, e.g. --set list_runs=2000 (repeatable)",
    )
    parser.add_argument("--repeat", type=int, default=None, help="repetitions of every workload")
    parser.add_argument(
        "--only", default=None, metavar="IDS", help="comma-separated workload ids, e.g. B1,B4"
    )
    parser.add_argument("--json", type=Path, default=None, help="where to write the JSON results")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    return parser


def _selected(only: str | None) -> list[str]:
    if not only:
        return list(WORKLOADS)
    ids = [part.strip().upper() for part in only.split(",") if part.strip()]
    unknown = [id_ for id_ in ids if id_ not in WORKLOADS]
    if unknown:
        raise SystemExit(f"unknown workloads {unknown}; known: {', '.join(WORKLOADS)}")
    return ids


def _run_workload(id_: str, ctx: Context) -> list[Row]:
    """The rows of one workload; an unexpected exception becomes an ERROR row."""
    module_name, title = WORKLOADS[id_]
    try:
        module = importlib.import_module(f"benchmarks.{module_name}")
        workload: Callable[[Context], list[Row]] = module.run
        return workload(ctx)
    except Exception as error:
        traceback.print_exc()
        return [Row(id_, title, "-", error=f"{type(error).__name__}: {error}")]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.list:
        for id_, (_, title) in WORKLOADS.items():
            print(f"{id_}  {title}")
        return 0
    preset = args.sizes or ("quick" if args.quick else "full")
    try:
        sizes = PRESETS[preset].with_overrides(args.set)
    except ValueError as error:
        raise SystemExit(f"python -m benchmarks: {error}") from None
    if args.repeat is not None:
        sizes = sizes.with_repeat(args.repeat)
    info = machine_info()
    print(f"wandb-emulator benchmarks, {header(info, preset)}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="wandb-emulator-bench-"))
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        ctx = Context(sizes=sizes, preset=preset, workdir=workdir)
        for id_ in _selected(args.only):
            print(f"{id_} {WORKLOADS[id_][1]} ...", file=sys.stderr, end=" ", flush=True)
            workload_started = time.perf_counter()
            rows.extend(_run_workload(id_, ctx))
            print(f"{time.perf_counter() - workload_started:.1f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print()
    print(table(rows))
    print()
    print(notes(rows))
    path = args.json or Path("bench-results") / f"{preset}.json"
    write_json(path, rows, info, preset, sizes.to_json())
    print(f"\n{len(rows)} rows in {elapsed:.1f} s; JSON written to {path}")
    return 1 if any(row.status == ERROR for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
