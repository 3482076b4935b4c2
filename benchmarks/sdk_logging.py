"""B8: a training script's logging: ``wandb.init()``, ``log()`` every step, ``finish()``.

The same script runs in a fresh process online against ``wandb-emulator serve`` (its own
process) and, as the baseline, with ``mode="offline"``. The script times itself from
before ``wandb.init()`` to after ``finish()``, so interpreter start and ``import wandb``
(equal in both modes) are left out. Online runs are checked to have reached the server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.context import Context
from benchmarks.data import API_KEY, ENTITY
from benchmarks.features import missing_routes
from benchmarks.harness import Baseline, Row, below, not_available
from benchmarks.processes import emulator_command, server_process
from benchmarks.sdk import sdk_environment
from client import Api

PROJECT = "logging"
TARGET = (below(1.25, "ratio < 1.25", metric="ratio"),)
SCRIPT = """
import json, sys, time
import wandb

steps, mode = int(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
run = wandb.init(project="logging", mode=mode)
for step in range(steps):
    run.log({"loss": 1.0 / (step + 1), "accuracy": step / steps, "lr": 1e-3 * (1 - step / steps)})
run.finish()
print(json.dumps({"seconds": time.perf_counter() - start, "id": run.id}))
"""


def _train(ctx: Context, steps: int, mode: str, url: str | None) -> tuple[float, str]:
    """Run the script once in a new process; ``(seconds, run id)``."""
    home = ctx.scratch(f"wandb-{mode}")
    script = home / "train.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script), str(steps), mode],
        env=sdk_environment(url, home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{mode} script failed: {result.stderr[-2000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["seconds"], report["id"]


def _check_logged(url: str, run_id: str, steps: int) -> None:
    with Api(base_url=url, api_key=API_KEY) as api:
        logged = api.run(f"{ENTITY}/{PROJECT}/{run_id}").history_line_count
    if logged != steps:
        raise RuntimeError(f"online run {run_id} has {logged} history rows, expected {steps}")


def run(ctx: Context) -> list[Row]:
    """One row: online against the emulator, with the offline run as its baseline."""
    sizes = ctx.sizes
    steps = sizes.log_steps
    size = f"{steps:,} steps"
    workload = "wandb.init + log() + finish(), online to the emulator"
    offline = [_train(ctx, steps, "offline", None)[0] for _ in range(sizes.log_repeat)]
    baseline = Baseline('the same script, mode="offline"', offline, count=steps)
    if missing_routes("file_stream"):
        return [
            not_available(
                "B8",
                workload,
                size,
                "no file_stream route",
                target=TARGET,
                baseline=baseline,
                count_unit="steps",
            )
        ]
    online = []
    log = Path(ctx.scratch("serve")) / "serve.log"
    with server_process([*emulator_command("--entity", ENTITY)], log) as (url, _):
        for _ in range(sizes.log_repeat):
            seconds, run_id = _train(ctx, steps, "online", url)
            _check_logged(url, run_id, steps)
            online.append(seconds)
    return [
        Row(
            "B8",
            workload,
            size,
            online,
            count=steps,
            count_unit="steps",
            baseline=baseline,
            target=TARGET,
            note="fresh process per run; server in its own process",
        )
    ]
