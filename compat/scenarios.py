"""The compatibility scenarios: one ``wandb`` release, run inside that release's venv.

``python scenarios.py suite OUT.json`` runs every capability check against the emulator
named by ``WANDB_BASE_URL`` and writes ``{"version": ..., "results": {capability: ...}}``.
Training runs are subprocesses of this same file (``train``, ``resume``, ``consume``), as
a user's scripts would be; the checks read back through ``wandb.Api()`` in this process.

This file imports only the standard library, ``wandb`` and numpy (it runs under every
release in the matrix), and keeps each check independent: one failing capability is
recorded with its error and the others still run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wandb

STEPS = 12
RESUMED_STEPS = 3
CONSOLE_LINE = "compat console line"
FILE_TEXT = "compat file contents\n"
ARTIFACT_NAME = "compat-data"
ARTIFACT_TEXT = "compat artifact contents\n"
TABLE_ROWS = [[1, "x"], [2, "y"]]
CHILD_TIMEOUT_S = 180

# --- training processes (subprocesses of the suite) --------------------------------------


def train(project: str, run_id: str) -> None:
    """Log a run with config, metrics, summary, a file, console output, media, an artifact."""
    import numpy as np

    run = wandb.init(
        project=project,
        id=run_id,
        name="compat-train",
        config={"lr": 0.01, "optimizer": "adam"},
        tags=["compat"],
        notes="compat notes",
        group="compat-group",
        job_type="train",
    )
    print(CONSOLE_LINE, flush=True)
    for step in range(STEPS):
        run.log({"loss": 1.0 / (step + 1), "acc": step / STEPS})
    run.summary["best_acc"] = 0.9
    Path("notes.txt").write_text(FILE_TEXT)
    wandb.save("notes.txt", policy="now")
    pixels = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    chart_table = wandb.Table(data=[[0, 1.0], [1, 0.5]], columns=["x", "y"])
    run.log(
        {
            "image": wandb.Image(pixels),
            "table": wandb.Table(columns=["n", "s"], data=TABLE_ROWS),
            "hist": wandb.Histogram([1, 2, 2, 3, 3, 3]),
            "chart": wandb.plot.line(chart_table, "x", "y", title="compat line"),
        }
    )
    Path("data.txt").write_text(ARTIFACT_TEXT)
    artifact = wandb.Artifact(ARTIFACT_NAME, type="dataset")
    artifact.add_file("data.txt")
    run.log_artifact(artifact)
    run.finish()


def resume(project: str, run_id: str) -> None:
    """Resume the training run and log a few more steps."""
    run = wandb.init(project=project, id=run_id, resume="must")
    for step in range(RESUMED_STEPS):
        run.log({"loss": 0.01 * (RESUMED_STEPS - step)})
    run.finish()


def consume(project: str, run_id: str) -> None:
    """A second run that uses and downloads the artifact (the lineage's consumer)."""
    run = wandb.init(project=project, id=run_id, job_type="eval", config={"lr": 0.0})
    artifact = run.use_artifact(f"{ARTIFACT_NAME}:latest")
    root = Path(artifact.download())
    if (root / "data.txt").read_text() != ARTIFACT_TEXT:
        raise SystemExit("downloaded artifact differs from what was logged")
    run.log({"loss": 5.0})
    run.finish()


WRITERS: dict[str, Callable[[str, str], None]] = {
    "train": train,
    "resume": resume,
    "consume": consume,
}

# --- the suite ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one capability check found."""

    ok: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Suite:
    """State shared by the checks: the emulator, the project and the runs' ids."""

    workdir: Path
    project: str
    entity: str
    train_id: str = "compattrain"
    consume_id: str = "compateval"

    def path(self, run_id: str) -> str:
        return f"{self.entity}/{self.project}/{run_id}"

    def api(self) -> Any:
        """A fresh ``wandb.Api()`` (no cached runs between checks)."""
        return wandb.Api(timeout=30)

    def run(self, run_id: str) -> Any:
        return self.api().run(self.path(run_id))

    def write(self, writer: str, run_id: str) -> None:
        """Run a training process; raise with its stderr's tail if it failed."""
        done = subprocess.run(
            [sys.executable, __file__, writer, self.project, run_id],
            cwd=self.workdir,
            env=_child_env(),
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
        )
        if done.returncode != 0:
            # The SDK's own progress lines ("wandb: ...") would hide the traceback's end.
            own = [line for line in done.stderr.splitlines() if not line.startswith("wandb:")]
            raise AssertionError(f"{writer} exited {done.returncode}: {_tail(chr(10).join(own))}")

    def download(self, file: Any) -> Path:
        """Download a run file into a fresh directory; return its local path."""
        root = Path(tempfile.mkdtemp(dir=self.workdir))
        file.download(root=str(root), replace=True)
        return root / str(file.name)


def _child_env() -> dict[str, str]:
    # A wandb.Api() of this process may publish its service; children start their own.
    return {key: value for key, value in os.environ.items() if key != "WANDB_SERVICE"}


def _tail(text: str, lines: int = 6) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _values(rows: Any, key: str) -> list[Any]:
    """``key``'s logged values: parquet-backed history has every column, None where unlogged."""
    return [row[key] for row in rows if row.get(key) is not None]


def check_log(suite: Suite) -> None:
    suite.write("train", suite.train_id)
    run = suite.run(suite.train_id)
    _expect(run.state == "finished", f"state {run.state!r}")
    _expect(run.config.get("lr") == 0.01, f"config {run.config!r}")
    _expect(run.summary.get("best_acc") == 0.9, "summary best_acc missing")
    _expect(run.summary.get("loss") == 1.0 / STEPS, f"summary loss {run.summary.get('loss')}")


def check_resume(suite: Suite) -> None:
    suite.write("resume", suite.train_id)
    run = suite.run(suite.train_id)
    _expect(run.state == "finished", f"state {run.state!r}")
    losses = _values(run.scan_history(keys=["loss"]), "loss")
    _expect(len(losses) == STEPS + RESUMED_STEPS, f"{len(losses)} loss rows after resume")
    _expect(run.summary.get("loss") == 0.01, f"summary loss {run.summary.get('loss')}")


def check_listing(suite: Suite) -> None:
    suite.write("consume", suite.consume_id)
    api, project = suite.api(), f"{suite.entity}/{suite.project}"
    every = [run.id for run in api.runs(project, order="+created_at")]
    _expect(every == [suite.train_id, suite.consume_id], f"runs by +created_at: {every}")
    newest = [run.id for run in api.runs(project, order="-created_at")]
    _expect(newest == every[::-1], f"runs by -created_at: {newest}")
    by_lr = [run.id for run in api.runs(project, filters={"config.lr": {"$gt": 0.001}})]
    _expect(by_lr == [suite.train_id], f"filter config.lr > 0.001: {by_lr}")
    tagged = [run.id for run in api.runs(project, filters={"tags": {"$in": ["compat"]}})]
    _expect(tagged == [suite.train_id], f"filter on tags: {tagged}")
    by_loss = [run.id for run in api.runs(project, order="+summary_metrics.loss")]
    _expect(by_loss == every, f"runs by +summary_metrics.loss: {by_loss}")


def check_attributes(suite: Suite) -> None:
    run = suite.run(suite.train_id)
    seen = {
        "id": run.id,
        "name": run.name,
        "tags": list(run.tags),
        "notes": run.notes,
        "group": run.group,
        "job_type": run.job_type,
        "project": run.project,
        "entity": run.entity,
    }
    wanted = {
        "id": suite.train_id,
        "name": "compat-train",
        "tags": ["compat"],
        "notes": "compat notes",
        "group": "compat-group",
        "job_type": "train",
        "project": suite.project,
        "entity": suite.entity,
    }
    _expect(seen == wanted, f"attributes {seen}")
    _expect(bool(run.created_at), "created_at empty")
    _expect(suite.train_id in run.url, f"url {run.url}")


def check_history(suite: Suite) -> None:
    run = suite.run(suite.train_id)
    sampled = run.history(samples=5, keys=["loss"], pandas=False)
    _expect(0 < len(sampled) <= 5, f"{len(sampled)} sampled rows")
    full = run.history(samples=1000, keys=["loss", "acc"], pandas=False)
    _expect(len(full) == STEPS, f"{len(full)} rows with loss and acc")
    _expect([row["_step"] for row in full] == list(range(STEPS)), "steps out of order")


def check_scan_history(suite: Suite) -> None:
    run = suite.run(suite.train_id)
    expected = [step / STEPS for step in range(STEPS)]
    # Paged without keys; with keys in one page. (Releases before wandb-core page keyed
    # scans with an exclusive maxStep where W&B's sampledHistory reads it inclusive, so
    # their small keyed pages overlap at the edges, on W&B as here.)
    _expect(_values(run.scan_history(page_size=5), "acc") == expected, "paged acc values")
    _expect(_values(run.scan_history(keys=["acc"]), "acc") == expected, "keyed acc values")


def check_files(suite: Suite) -> None:
    run = suite.run(suite.train_id)
    files = {file.name: file for file in run.files()}
    for name in ("notes.txt", "output.log", "config.yaml", "wandb-summary.json"):
        _expect(name in files, f"{name} missing from {sorted(files)}")
    _expect(suite.download(files["notes.txt"]).read_text() == FILE_TEXT, "notes.txt content")
    console = suite.download(files["output.log"]).read_text()
    _expect(CONSOLE_LINE in console, "console line missing from output.log")


def check_media(suite: Suite) -> None:
    run = suite.run(suite.train_id)
    summary = run.summary
    types = {key: summary.get(key, {}).get("_type") for key in ("image", "table", "hist")}
    wanted = {"image": "image-file", "table": "table-file", "hist": "histogram"}
    _expect(types == wanted, f"media types in summary: {types}")
    keys = list(summary.keys())
    charts = [key for key in keys if key.startswith("chart")]
    _expect(bool(charts), "no chart key in summary")
    image = suite.download(run.file(summary["image"]["path"]))
    _expect(image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "image is not a PNG")
    table = json.loads(suite.download(run.file(summary["table"]["path"])).read_text())
    _expect(table.get("data") == TABLE_ROWS, f"table data {table.get('data')}")
    media_rows = [row for row in run.scan_history() if row.get("image")]
    _expect(len(media_rows) == 1, f"{len(media_rows)} history rows with the image")


def check_artifacts(suite: Suite) -> None:
    api = suite.api()
    artifact = api.artifact(f"{suite.entity}/{suite.project}/{ARTIFACT_NAME}:latest")
    _expect(artifact.type == "dataset", f"type {artifact.type}")
    _expect(artifact.version == "v0", f"version {artifact.version}")
    root = Path(artifact.download(root=tempfile.mkdtemp(dir=suite.workdir)))
    _expect((root / "data.txt").read_text() == ARTIFACT_TEXT, "downloaded content differs")


def check_lineage(suite: Suite) -> None:
    api = suite.api()
    artifact = api.artifact(f"{suite.entity}/{suite.project}/{ARTIFACT_NAME}:latest")
    producer = artifact.logged_by()
    _expect(producer is not None and producer.id == suite.train_id, "logged_by")
    users = [run.id for run in artifact.used_by()]
    _expect(users == [suite.consume_id], f"used_by {users}")
    logged = [a.name for a in api.run(suite.path(suite.train_id)).logged_artifacts()]
    _expect(f"{ARTIFACT_NAME}:v0" in logged, f"logged_artifacts {logged}")
    used = [a.name for a in api.run(suite.path(suite.consume_id)).used_artifacts()]
    _expect(used == [f"{ARTIFACT_NAME}:v0"], f"used_artifacts {used}")


def check_updates(suite: Suite) -> None:
    run = suite.run(suite.consume_id)
    run.summary.update({"reviewed": True})
    run.config["threshold"] = 0.5
    run.tags = ["reviewed"]
    run.update()
    again = suite.run(suite.consume_id)
    _expect(again.summary.get("reviewed") is True, "summary.update() lost")
    _expect(again.config.get("threshold") == 0.5, "config change lost")
    _expect(list(again.tags) == ["reviewed"], f"tags {again.tags}")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RED = "\x1b[31m"


def check_verify(suite: Suite) -> None:
    """``wandb verify`` exits 0; its https and CORS lines are warnings (yellow), failures
    are red."""
    cli = Path(sys.executable).with_name("wandb")
    done = subprocess.run(
        [str(cli), "verify", "--host", os.environ["WANDB_BASE_URL"]],
        cwd=suite.workdir,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
    )
    if done.returncode == 0:
        return
    failures = [_ANSI.sub("", line).strip() for line in done.stdout.splitlines() if _RED in line]
    raise AssertionError(
        f"wandb verify exited {done.returncode}: "
        + _tail("\n".join(failures) or done.stdout + done.stderr)
    )


# Order matters: later checks read what the earlier ones wrote.
CHECKS: dict[str, Callable[[Suite], None]] = {
    "init/log/finish": check_log,
    "resume": check_resume,
    "runs listing": check_listing,
    "run attributes": check_attributes,
    "history": check_history,
    "scan_history": check_scan_history,
    "files": check_files,
    "media": check_media,
    "artifacts": check_artifacts,
    "lineage": check_lineage,
    "updates": check_updates,
    "wandb verify": check_verify,
}


def run_suite(out: Path) -> int:
    """Run every check; write the outcomes to ``out``; 0 when all passed."""
    project = "compat-" + wandb.__version__.replace(".", "-")
    results: dict[str, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="wandb-compat-") as workdir:
        os.chdir(workdir)
        suite = Suite(Path(workdir), project, os.environ["WANDB_ENTITY"])
        for name, check in CHECKS.items():
            started = time.monotonic()
            try:
                check(suite)
                outcome = Outcome(ok=True)
            except Exception as error:
                frames = traceback.extract_tb(error.__traceback__)
                where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
                outcome = Outcome(ok=False, detail=f"{type(error).__name__}: {error}{where}"[:400])
            outcome.seconds = round(time.monotonic() - started, 2)
            results[name] = outcome
            print(f"  {name:<16} {_verdict(outcome)} {outcome.detail}", flush=True)
    report = {
        "version": wandb.__version__,
        "results": {name: vars(outcome) for name, outcome in results.items()},
    }
    out.write_text(json.dumps(report, indent=2))
    return 0 if all(outcome.ok for outcome in results.values()) else 1


def _verdict(outcome: Outcome) -> str:
    return "ok" if outcome.ok else "FAIL"


def main(argv: list[str]) -> int:
    """``suite OUT.json`` or ``train|resume|consume PROJECT RUN_ID``."""
    if len(argv) == 2 and argv[0] == "suite":
        return run_suite(Path(argv[1]).resolve())
    if len(argv) == 3 and argv[0] in WRITERS:
        WRITERS[argv[0]](argv[1], argv[2])
        return 0
    print(main.__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
