"""Sweeps with the real SDK and CLI: ``wandb.sweep`` and ``wandb sweep``, agents in-process
and as ``wandb agent`` subprocesses running real trainings, steering from a second process,
and everything read back through the SDK and our client."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import wandb
import yaml
from wandb.agents import pyagent
from wandb.apis.public.sweeps import _set_sweep_state
from wandb.errors import CommError

from client import Api
from fixtures.handle import EmulatorHandle
from tests.sdk.conftest import SCRIPTS, script_command, script_env
from tests.sdk.scripts.sweep_train import train

pytestmark = [
    # wandb 0.31's wandb.sweep() calls a deprecated helper of its own...
    pytest.mark.filterwarnings(
        "ignore:Read the `app_url` setting from the appropriate Settings object:DeprecationWarning"
    ),
    # ...and its in-process agent leaves each run's sweep parameter file open.
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name='.*/sweep-\\w+/config-\\w+\\.yaml'"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]
PROJECT = "tune"
RANDOM = {
    "method": "random",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {
        "lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
        "batch_size": {"values": [16, 32, 64]},
    },
}
#: A program for CLI agents, run by this interpreter (not whichever ``python`` is on PATH).
PROGRAM = {
    "program": str(SCRIPTS / "sweep_train.py"),
    "command": ["${env}", sys.executable, "${program}", "${args}"],
}


@pytest.fixture
def in_project(wandb_env: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Run sweeps of project ``tune`` from ``tmp_path``; ``wandb.sweep`` sets WANDB_PROJECT
    and WANDB_ENTITY in this process, which the monkeypatch restores afterwards."""
    monkeypatch.setenv("WANDB_PROJECT", PROJECT)
    monkeypatch.chdir(tmp_path)
    # W&B's in-process agent waits 5 s between heartbeats; a test needs far less.
    monkeypatch.setattr(pyagent.Agent, "HEARTBEAT_SLEEP_SECONDS", 0.2)
    return f"{wandb_env.entity}/{PROJECT}"


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 90) -> Any:
    """Poll ``condition`` (observable state) until it holds; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value


def wandb_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the unmodified ``wandb`` command line to completion."""
    return subprocess.run(
        [sys.executable, "-m", "wandb", *args],
        cwd=cwd,
        env=script_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def agent_process(path: str, cwd: Path) -> subprocess.Popen[str]:
    """``wandb agent path`` in a subprocess (polling every half second, see wandb_cli.py)."""
    return subprocess.Popen(
        script_command("wandb_cli.py", "agent", path),
        cwd=cwd,
        env=script_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def params_of(run: Any) -> dict[str, Any]:
    return {key: run.config[key] for key in ("lr", "batch_size") if key in run.config}


def test_random_sweep_in_process_runs_count_trainings(
    in_project: str, wandb_env: EmulatorHandle, wandb_api: Api
) -> None:
    sweep_id = wandb.sweep(RANDOM, project=PROJECT)
    wandb.agent(sweep_id, function=train, count=3)

    runs = wandb_env.runs(PROJECT)
    assert len(runs) == 3
    assert all(run.sweep_name == sweep_id and run.state == "finished" for run in runs)
    for run in runs:
        assert 1e-4 <= run.config["lr"] <= 1e-1 and run.config["batch_size"] in (16, 32, 64)
        assert run.summary["loss"] == pytest.approx(run.config["lr"])
    best = min(runs, key=lambda run: run.config["lr"])

    api = wandb.Api(timeout=15)  # the agent tore down the SDK's service: a fresh Api
    sweep = api.sweep(f"{in_project}/{sweep_id}")
    assert (sweep.id, sweep.name, sweep.state) == (sweep_id, sweep_id, "RUNNING")
    assert sweep.entity == wandb_env.entity and sweep.project == PROJECT
    assert sweep.config == RANDOM and sweep.expected_run_count is None
    assert sweep.path == [wandb_env.entity, PROJECT, sweep_id]
    assert sweep.url.endswith(f"/{in_project}/sweeps/{sweep_id}")
    assert sweep.url in sweep.to_html()
    assert len(sweep.runs) == 3
    assert sweep.best_run().id == best.name
    assert sweep.best_run(order="-loss").id == max(runs, key=lambda r: r.config["lr"]).name
    assert api.run(f"{in_project}/{best.name}").sweep.id == sweep_id
    assert [s.id for s in api.project(PROJECT).sweeps()] == [sweep_id]
    with_sweeps = api.runs(in_project, include_sweeps=True)
    assert {run.sweep.id for run in with_sweeps} == {sweep_id}
    [agent] = sweep.agents()
    assert agent.totalRuns >= 3  # an agent stopped by count may have fetched one more
    assert sorted(run.id for run in agent.runs()) == sorted(run.name for run in runs)

    ours = wandb_api.sweep(f"{in_project}/{sweep_id}")
    assert (ours.id, ours.name, ours.state, ours.config) == (sweep_id, sweep_id, "RUNNING", RANDOM)
    assert ours.expected_run_count is None and ours.path == sweep.path and ours.url == sweep.url
    assert ours.best_run().id == best.name and ours.best_loss == pytest.approx(best.config["lr"])
    assert sorted(run.id for run in ours.runs) == sorted(run.name for run in runs)
    assert wandb_api.run(f"{in_project}/{best.name}").sweep.id == sweep_id
    [listed] = wandb_api.project(PROJECT).sweeps()
    assert (listed.id, listed.run_count, len(wandb_api.project(PROJECT).sweeps())) == (
        sweep_id,
        3,
        1,
    )

    # Stopped through the SDK, the sweep takes no more agents; unknown sweeps neither.
    _set_sweep_state(api, sweep_id, "FINISHED")
    assert sweep.load(force=True)["state"] == "FINISHED"
    with pytest.raises(CommError, match=f"sweep {in_project}/{sweep_id} is finished"):
        wandb.agent(sweep_id, function=train, count=1)
    with pytest.raises(CommError, match=f"sweep {in_project}/nosuch12 not found"):
        wandb.agent("nosuch12", function=train, count=1)


@pytest.mark.slow
def test_grid_sweep_from_the_cli_runs_every_point_then_finishes(
    in_project: str, wandb_env: EmulatorHandle, wandb_api: Api, tmp_path: Path
) -> None:
    config = {
        "method": "grid",
        **PROGRAM,
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"lr": {"values": [0.1, 0.01]}, "batch_size": {"value": 32}},
    }
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(config))
    created = wandb_cli("sweep", "--project", PROJECT, "sweep.yaml", cwd=tmp_path)
    sweep_id = re.search(r"with ID: (\w+)", created.stderr + created.stdout).group(1)

    agent = agent_process(f"{in_project}/{sweep_id}", tmp_path)
    output, _ = agent.communicate(timeout=120)
    assert agent.returncode == 0, output

    runs = wandb_env.runs(PROJECT)
    assert sorted(params_of(run)["lr"] for run in runs) == [0.01, 0.1]
    assert all(params_of(run)["batch_size"] == 32 for run in runs)
    assert all(run.state == "finished" and run.exit_code == 0 for run in runs)
    sweep = wandb.Api(timeout=15).sweep(f"{in_project}/{sweep_id}")
    assert (sweep.state, sweep.expected_run_count, len(sweep.runs)) == ("FINISHED", 2, 2)
    assert wandb_api.sweep(f"{in_project}/sweeps/{sweep_id}").best_run().config["lr"] == 0.01


@pytest.mark.slow
def test_pause_resume_and_stop_from_a_second_process_reach_a_running_agent(
    in_project: str, wandb_env: EmulatorHandle, tmp_path: Path
) -> None:
    sweep_id = wandb.sweep({**RANDOM, **PROGRAM}, project=PROJECT)
    path = f"{in_project}/{sweep_id}"
    store = wandb_env.store
    stored = store.sweeps.get(wandb_env.entity, PROJECT, sweep_id)
    assert stored is not None

    def agent_record() -> Any:
        [agent] = store.sweeps.agents(stored.id) or [None]
        return agent

    def handed_out() -> int:
        return len(store.sweeps.suggestions(stored.id))

    def heartbeats_after(count: int) -> Callable[[], bool]:
        return lambda: agent_record().heartbeats >= count

    agent = agent_process(path, tmp_path)
    try:
        wait_for(
            lambda: any(run.state == "finished" for run in wandb_env.runs(PROJECT)),
            "a first finished run",
        )
        wandb_cli("sweep", "--pause", path, cwd=tmp_path)
        assert store.sweeps.by_id(stored.id).state == "PAUSED"
        # The agent finishes what it runs, then keeps polling without getting a new run.
        wait_for(
            lambda: all(r.state != "running" for r in wandb_env.runs(PROJECT)),
            "the run in progress to end",
        )
        seen = agent_record().heartbeats
        paused_at = handed_out()
        wait_for(heartbeats_after(seen + 3), "heartbeats while paused")
        assert handed_out() == paused_at and agent.poll() is None

        wandb_cli("sweep", "--resume", path, cwd=tmp_path)
        wait_for(lambda: handed_out() > paused_at, "a new run after resuming")

        wandb_cli("sweep", "--stop", path, cwd=tmp_path)
        output, _ = agent.communicate(timeout=90)
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.communicate()
    assert agent.returncode == 0, output
    assert store.sweeps.by_id(stored.id).state == "FINISHED"
    runs = wandb_env.runs(PROJECT)
    assert len(runs) == handed_out() and all(run.state == "finished" for run in runs)


def test_bayes_sweep_through_the_optional_engine(
    in_project: str, wandb_env: EmulatorHandle
) -> None:
    pytest.importorskip("emulator.sweeps.engine").load()  # skipped without the sweeps extra
    config = {**RANDOM, "method": "bayes"}
    sweep_id = wandb.sweep(config, project=PROJECT)
    wandb.agent(sweep_id, function=train, count=3)

    runs = wandb_env.runs(PROJECT)
    assert len(runs) == 3 and all(run.sweep_name == sweep_id for run in runs)
    assert all(1e-4 <= run.config["lr"] <= 1e-1 for run in runs)
    assert wandb.Api(timeout=15).sweep(f"{in_project}/{sweep_id}").best_run() is not None


def test_a_local_controller_schedules_the_runs_agents_get(
    in_project: str, wandb_env: EmulatorHandle
) -> None:
    pytest.importorskip("sweeps")  # wandb.controller needs the sweeps engine client-side
    config = {
        "method": "grid",
        "controller": {"type": "local"},
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"lr": {"values": [0.1, 0.01]}, "batch_size": {"value": 8}},
    }
    sweep_id = wandb.sweep(config, project=PROJECT)
    for _ in range(2):
        # A fresh controller each time: the agent tears down the SDK service it used.
        tuner = wandb.controller(sweep_id)
        tuner.step()  # schedules the next grid point; the server hands it to the agent
        wandb.agent(sweep_id, function=train, count=1)

    runs = wandb_env.runs(PROJECT)
    assert sorted(run.config["lr"] for run in runs) == [0.01, 0.1]
    assert all(run.sweep_name == sweep_id and run.state == "finished" for run in runs)
    # The controller reads the runs back and finds the grid done.
    assert wandb.controller(sweep_id).search() is None
