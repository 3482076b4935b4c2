"""The server-side sweep controller: what each agent heartbeat is answered with.

W&B's agents poll ``agentHeartbeat`` with the runs they are running (``{run: true}``) and
start what the answer says: ``run`` (a new run with suggested parameters), ``stop`` (kill
a run) or ``exit``. The rules, as W&B applies them:

- an agent gets a new run only while it reports no running run, and the sweep is
  ``PENDING`` or ``RUNNING``; ``PAUSED`` answers nothing until resumed;
- ``FINISHED`` (``wandb sweep --stop``, or a grid or ``run_cap`` exhausted) lets running
  runs end, then says ``exit``; ``CANCELED`` says ``stop`` for every running run first;
- ``exit`` is sent only to an agent that reports no running run: the SDK kills a run in
  progress when told to exit.

Suggestions are numbered per sweep; grid point and random draw ``n`` go to suggestion
``n``. A suggestion an agent never starts (an agent ended by ``count`` may have fetched one
more) is not handed out again.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Mapping
from typing import Any

from emulator.store import Store
from emulator.store.sweeps import Agent, Sweep
from emulator.sweeps import config as sweep_config
from emulator.sweeps import engine, grid
from emulator.sweeps import random as random_search
from emulator.sweeps.params import command_args

_RUN_ID_ALPHABET = string.ascii_lowercase + string.digits
#: States in which agents get new runs.
ACTIVE_STATES = ("PENDING", "RUNNING")
#: Most runs of a sweep handed to the engine at once.
_MAX_ENGINE_RUNS = 1000


class SweepController:
    """Answers agents of the sweeps in one store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def commands(self, agent: Agent, run_states: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What ``agent`` should do now, given the runs it reports as running."""
        sweep = self._store.sweeps.by_id(agent.sweep_id)
        assert sweep is not None  # agents are deleted with their sweep
        running = sorted(name for name, alive in run_states.items() if alive)
        with self._store.db.transaction():
            self._store.sweeps.touch_agent(agent.id)
            if sweep.state == "CANCELED":
                return [{"type": "stop", "run_id": name} for name in running] or [_exit()]
            if sweep.state == "FINISHED":
                return [] if running else [_exit()]
            if sweep.state == "PAUSED":
                return []
            config = sweep_config.parse(sweep.config)
            if (config.get("controller") or {}).get("type") == "local":
                return self._local_commands(sweep, agent, running)
            if running:
                return self._early_terminated(sweep, config, running)
            params = self._suggest(sweep, config, len(self._store.sweeps.suggestions(sweep.id)))
            if params is None:
                self._store.sweeps.update(sweep.id, {"state": "FINISHED"})
                return [_exit()]
            return [self._run_command(sweep, agent, config, params)]

    def _run_command(
        self, sweep: Sweep, agent: Agent, config: Mapping[str, Any], params: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Record a suggestion for ``agent`` and the ``run`` command that hands it over."""
        if sweep.state == "PENDING":
            self._store.sweeps.update(sweep.id, {"state": "RUNNING"})
        run_name = "".join(secrets.choice(_RUN_ID_ALPHABET) for _ in range(8))
        self._store.sweeps.add_suggestion(sweep.id, agent.id, run_name, params)
        return {
            "type": "run",
            "run_id": run_name,
            "args": command_args(params),
            "program": config.get("program"),
            "run_storage_id": None,
        }

    def _local_commands(
        self, sweep: Sweep, agent: Agent, running: list[str]
    ) -> list[dict[str, Any]]:
        """A local controller (``wandb.controller``) decides: hand out the first run it
        scheduled that no agent got yet, and stop the runs it asks to stop."""
        controller = json.loads(sweep.controller)
        stop = set(controller.get("earlystop") or [])
        if running:
            return [{"type": "stop", "run_id": name} for name in running if name in stop]
        scheduler = json.loads(sweep.scheduler)
        scheduled = list(scheduler.get("scheduled") or [])
        taken = {entry.get("id") for entry in scheduled}
        for entry in controller.get("schedule") or []:
            if entry.get("id") in taken:
                continue
            args = (entry.get("data") or {}).get("args")
            if args is None:  # the controller's search is over
                self._store.sweeps.update(sweep.id, {"state": "FINISHED"})
                return [_exit()]
            params = {name: spec.get("value") for name, spec in args.items()}
            command = self._run_command(sweep, agent, sweep_config.parse(sweep.config), params)
            scheduled.append({"id": entry.get("id"), "runid": command["run_id"]})
            self._store.sweeps.update(
                sweep.id, {"scheduler": json.dumps({**scheduler, "scheduled": scheduled})}
            )
            return [command]
        return []

    def _suggest(self, sweep: Sweep, config: Mapping[str, Any], seq: int) -> dict[str, Any] | None:
        cap = config.get("run_cap")
        if cap is not None and seq >= cap:
            return None
        method = config["method"]
        if method == "grid":
            return grid.point(config, seq)
        if method == "random":
            return random_search.point(config, sweep.name, seq)
        return engine.next_params(config, self._run_views(sweep, with_history=False))

    def _early_terminated(
        self, sweep: Sweep, config: Mapping[str, Any], running: list[str]
    ) -> list[dict[str, Any]]:
        """``stop`` for the agent's running runs that hyperband ends early."""
        if "early_terminate" not in config:
            return []
        stop = set(engine.runs_to_stop(config, self._run_views(sweep, with_history=True)))
        return [{"type": "stop", "run_id": name} for name in running if name in stop]

    def _run_views(self, sweep: Sweep, *, with_history: bool) -> list[engine.RunView]:
        page = self._store.runs.page(
            sweep.project_id, filters={"sweep": sweep.name}, first=_MAX_ENGINE_RUNS
        )
        return [
            engine.RunView(
                name=run.name,
                state=run.state,
                config={k: v for k, v in run.config.items() if not k.startswith("_")},
                summary=run.summary_metrics,
                history=self._store.history.history_rows(run.id) if with_history else [],
            )
            for run in page.runs
        ]


def _exit() -> dict[str, Any]:
    return {"type": "exit"}
