"""Real ``wandb.init()`` scripts log into the emulator; every step and the run's end arrive."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from subprocess import CompletedProcess

import wandb

from client import Api
from fixtures import LoggedRun
from fixtures.handle import EmulatorHandle
from tests.sdk.conftest import script_command, script_env
from tests.sdk.scripts.train import CONFIG, NOTES, WEIGHTS

RunScript = Callable[..., CompletedProcess]
STEPS, VAL_EVERY = 1200, 100


def _expected_history(steps: range, val_every: int = VAL_EVERY) -> list[dict[str, float]]:
    """The rows ``scripts/train.py`` logs at ``steps``."""
    rows = []
    for step in steps:
        row = {"_step": step, "loss": 1 / (step + 1), "acc": step / (step + 1), "lr": CONFIG["lr"]}
        if step % val_every == 0:
            row["val_loss"] = 2 / (step + 1)
        rows.append(row)
    return rows


def _user_keys(rows: Iterable[dict]) -> list[dict]:
    """History rows without the SDK's ``_runtime``/``_timestamp`` bookkeeping, and without
    the ``None`` cells a read over parquet gives keys a row did not log."""
    return [
        {k: v for k, v in row.items() if k not in ("_runtime", "_timestamp") and v is not None}
        for row in rows
    ]


def _only(wandb_env: EmulatorHandle, project: str) -> LoggedRun:
    [run] = wandb_env.runs(project)
    return run


def test_a_training_run_arrives_complete(
    run_script: RunScript,
    wandb_env: EmulatorHandle,
    sdk: wandb.Api,
    wandb_api: Api,
    tmp_path: Path,
) -> None:
    run_script(
        "train.py", "--project", "mnist", "--steps", STEPS, "--val-every", VAL_EVERY, "--artifact"
    )
    run = _only(wandb_env, "mnist")

    assert (run.state, run.exit_code) == ("finished", 0)
    assert run.config == CONFIG
    assert _user_keys(run.history) == _expected_history(range(STEPS))
    assert run.values("val_loss") == [2 / (s + 1) for s in range(0, STEPS, VAL_EVERY)]
    assert run.summary["acc"] == 1.0
    assert run.summary["best_val_loss"] == 0.001
    assert run.summary["loss"] == 1 / STEPS
    assert run.summary["_step"] == STEPS - 1
    assert [f"step {s}" for s in range(0, STEPS, 100)] + ["a warning on stderr"] == [
        line for line in run.console if not line.startswith("wandb:")
    ]
    assert run.events

    printed = "".join(line + "\n" for line in run.console).encode()
    assert run.files["output.log"] == printed
    assert run.files["notes.txt"] == NOTES.encode()
    assert {"config.yaml", "wandb-metadata.json", "requirements.txt"} <= set(run.files)
    assert {"notes.txt", "output.log"} <= set(run.uploaded)

    ours = wandb_api.run(run.path)
    theirs = sdk.run(run.path)
    for public in (theirs, ours):
        assert public.state == "finished"
        assert public.config == CONFIG
        assert public.summary["best_val_loss"] == 0.001
        assert public.summary["acc"] == 1.0
        assert public.summary["loss"] == 1 / STEPS
        assert {file.name for file in public.files()} == set(run.files)
        assert _user_keys(public.scan_history()) == _expected_history(range(STEPS))
    assert ours.file("output.log").read() == printed
    for api, public in ((sdk, theirs), (wandb_api, ours)):
        model = api.artifact(f"{run.entity}/mnist/model:best", type="model")
        assert (model.version, model.metadata) == ("v0", {"steps": STEPS})
        folder = Path(model.download(root=str(tmp_path / type(api).__module__)))
        assert (folder / "model.bin").read_bytes() == WEIGHTS
        assert [artifact.name for artifact in public.logged_artifacts()] == ["model:v0"]
    with theirs.file("output.log").download(root=str(tmp_path / "download")) as downloaded:
        assert Path(downloaded.name).read_bytes() == printed


def test_a_crashed_run_fails_and_resume_must_continues_it(
    run_script: RunScript, wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    crashed = run_script(
        "train.py",
        "--project",
        "p",
        "--id",
        "run00001",
        "--steps",
        30,
        "--exit-code",
        3,
        check=False,
    )
    assert crashed.returncode == 3, crashed.stderr
    run = wandb_env.run("p/run00001")
    assert (run.state, run.exit_code) == ("failed", 3)
    assert [row["_step"] for row in run.history] == list(range(30))
    assert sdk.run(run.path).state == "failed"

    run_script("train.py", "--project", "p", "--id", "run00001", "--resume", "must", "--steps", 20)
    run = wandb_env.run("run00001")
    assert (run.state, run.exit_code) == ("finished", 0)
    assert _user_keys(run.history) == _expected_history(range(50))
    assert run.summary["loss"] == 1 / 50
    assert run.console.count("a warning on stderr") == 2
    assert run.files["output.log"] == "".join(line + "\n" for line in run.console).encode()
    public = sdk.run(run.path)  # cached by the Api since the first read
    public.load(force=True)
    assert public.state == "finished"
    assert _user_keys(public.scan_history()) == _expected_history(range(50))


def test_resume_of_an_unknown_run_fails_with_must_and_starts_it_with_allow(
    run_script: RunScript, wandb_env: EmulatorHandle
) -> None:
    args = ("train.py", "--project", "p", "--id", "newrun01", "--steps", 5, "--resume")
    refused = run_script(*args, "must", check=False)
    assert refused.returncode != 0
    assert "Run (newrun01) does not exist" in refused.stderr
    assert wandb_env.runs() == []

    run_script(*args, "allow")
    run = wandb_env.run("newrun01")
    assert (run.state, _user_keys(run.history)) == ("finished", _expected_history(range(5)))


def test_concurrent_runs_from_separate_processes_all_arrive(
    wandb_env: EmulatorHandle, tmp_path: Path
) -> None:
    names = [f"worker{i:02d}" for i in range(4)]
    processes = [
        subprocess.Popen(
            script_command(
                "train.py", "--project", "swarm", "--id", name, "--steps", 300, "--val-every", 50
            ),
            cwd=tmp_path,
            env=script_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in names
    ]
    assert [process.wait(timeout=120) for process in processes] == [0] * len(names)
    runs = {run.name: run for run in wandb_env.runs("swarm")}
    assert sorted(runs) == names
    for run in runs.values():
        assert (run.state, run.exit_code) == ("finished", 0)
        assert _user_keys(run.history) == _expected_history(range(300), val_every=50)
