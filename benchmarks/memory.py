"""B9: peak memory of a server process holding a big seeded project, memory and file store.

``wandb-emulator serve --seed 0 --runs R --steps S`` (with ``--data-dir`` for the file
store) seeds in its own process, answers ``/healthz``, then serves a full run listing;
its peak RSS (``VmHWM``) is read from ``/proc`` before it stops. Baseline: a plain Python
process that builds the same histories with the same factories and seed and inserts them
as JSON text into a ``sqlite3`` table (in memory, or a WAL file), run by run.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.context import Context
from benchmarks.data import API_KEY, ENTITY
from benchmarks.harness import Baseline, Row, below, not_available
from benchmarks.processes import emulator_command, has_proc, peak_rss_mb, server_process
from client import Api

PROJECT = "memory"
TARGETS = {"memory": (below(400, "< 400 MB"),), "file": (below(150, "< 150 MB"),)}
BASELINE_SCRIPT = """
import json, re, sqlite3, sys
from pathlib import Path
from faker import Faker
from fixtures.factories import base_time, iter_project_runs

runs, steps, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
fake = Faker(providers=["fixtures.providers"])
fake.seed_instance(0)
conn = sqlite3.connect(path, isolation_level=None)
if path != ":memory:":
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
conn.execute("CREATE TABLE history (run_id INTEGER, line INTEGER, step INTEGER, row TEXT,"
             " PRIMARY KEY (run_id, line)) WITHOUT ROWID")
built = iter_project_runs(fake, entity="bench", project="memory", username="bench", runs=runs,
                          steps=steps, start=base_time(fake))
conn.execute("BEGIN")
for run_id, seeded in enumerate(built, 1):
    conn.executemany("INSERT INTO history VALUES (?, ?, ?, ?)", [
        (run_id, line, row.get("_step"), json.dumps(row, separators=(",", ":")))
        for line, row in enumerate(seeded.history)
    ])
conn.execute("COMMIT")
rows = conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
status = Path("/proc/self/status").read_text()
peak_kb = int(re.search(r"^VmHWM:\\s+(\\d+) kB", status, re.MULTILINE).group(1))
print(json.dumps({"rows": rows, "peak_mb": peak_kb * 1024 / 1e6}))
"""


def _baseline(ctx: Context, path: str) -> dict[str, float]:
    sizes = ctx.sizes
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            BASELINE_SCRIPT,
            str(sizes.memory_runs),
            str(sizes.memory_steps),
            path,
        ],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"baseline failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _server_peak(ctx: Context, extra: list[str]) -> tuple[float, int]:
    """Peak MB of a seeded server after a full listing, and the history rows it holds."""
    sizes = ctx.sizes
    command = emulator_command(
        "--entity",
        ENTITY,
        "--project",
        PROJECT,
        "--seed",
        "0",
        "--runs",
        str(sizes.memory_runs),
        "--steps",
        str(sizes.memory_steps),
        *extra,
    )
    log = ctx.scratch("serve") / "serve.log"
    with server_process(command, log, timeout=3600) as (url, process):
        with Api(base_url=url, api_key=API_KEY) as api:
            runs = api.runs(f"{ENTITY}/{PROJECT}", per_page=1000)
            rows = sum(run.history_line_count or 0 for run in runs)
        return peak_rss_mb(process.pid), rows


def run(ctx: Context) -> list[Row]:
    """One row per store kind; values are MB, not seconds."""
    sizes = ctx.sizes
    size = f"{sizes.memory_runs:,} runs x {sizes.memory_steps:,} steps"
    rows = []
    for kind, label in (("memory", "memory store"), ("file", "file store (--data-dir)")):
        workload = f"peak RSS of `wandb-emulator serve`, {label}"
        if not has_proc():
            rows.append(
                not_available("B9", workload, size, "needs /proc (Linux)", target=TARGETS[kind])
            )
            continue
        data_dir = ctx.scratch("data")
        extra = [] if kind == "memory" else ["--data-dir", str(data_dir)]
        peak, history_rows = _server_peak(ctx, extra)
        plain = _baseline(ctx, ":memory:" if kind == "memory" else str(data_dir / "plain.db"))
        rows.append(
            Row(
                "B9",
                workload,
                f"{size} ({history_rows:,} rows)",
                [peak],
                unit="MB",
                baseline=Baseline(
                    f"python + sqlite3 ({kind}) holding the same rows", [plain["peak_mb"]]
                ),
                target=TARGETS[kind],
                note="seeded in the server process, then a full run listing; VmHWM",
            )
        )
    return rows
