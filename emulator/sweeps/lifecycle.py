"""Creating sweeps, changing them (state, config, a local controller's requests), and
registering their agents: the checks W&B makes, over the store."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from emulator.store import Store
from emulator.store.sweeps import SWEEP_STATES, Agent, Sweep
from emulator.sweeps import config as sweep_config
from emulator.sweeps import engine

#: States a sweep gives no more runs in; agents cannot join it.
DONE_STATES = ("CANCELED", "FINISHED")


class SweepError(ValueError):
    """A sweep request W&B would refuse; the message names the problem."""


def checked_config(text: Any) -> dict[str, Any]:
    """The config of YAML ``text``, validated, with the engine present if it needs it."""
    if not isinstance(text, str):
        raise sweep_config.SweepConfigError("config: the sweep config must be a YAML string")
    config = sweep_config.parse(text)
    sweep_config.validate(config)
    if sweep_config.uses_engine(config):
        engine.load()
    return config


def _checked_state(state: Any) -> str:
    if state not in SWEEP_STATES:
        expected = ", ".join(SWEEP_STATES)
        raise SweepError(f"unknown sweep state {state!r}; expected one of {expected}")
    return str(state)


def create_sweep(
    store: Store,
    entity: str,
    project: str,
    config_text: str,
    *,
    username: str,
    state: str | None = None,
    display_name: str | None = None,
    description: str | None = None,
    prior_runs: Mapping[str, Any] | None = None,
    name: str | None = None,
    created_at: str | None = None,
) -> Sweep:
    """Validate and store a new sweep; ``prior_runs`` (run filters) join it."""
    config = checked_config(config_text)
    if prior_runs is not None and not isinstance(prior_runs, Mapping):
        raise SweepError("priorRunsFilters must be a JSON object of run filters")
    with store.db.transaction():
        store.projects.ensure_user(username)
        project_id = store.projects.ensure_project(entity, project).id
        sweep = store.sweeps.insert(
            project_id,
            name=name,
            config=config_text,
            method=config["method"],
            username=username,
            state=_checked_state(state or "PENDING"),
            display_name=display_name or config.get("name"),
            description=description or config.get("description"),
            run_count_expected=sweep_config.expected_run_count(config),
            created_at=created_at,
        )
        if prior_runs:
            page = store.runs.page(project_id, filters=prior_runs, first=1000)
            for run in page.runs:
                store.runs.update(run.id, {"sweep_name": sweep.name})
    found = store.sweeps.by_id(sweep.id)
    assert found is not None
    return found


def change_sweep(store: Store, sweep: Sweep, changes: Mapping[str, Any]) -> Sweep:
    """Apply ``upsertSweep`` changes (``state``, ``config``, ``controller``, ``scheduler``,
    ``display_name``, ``description``; ``None`` values are left unchanged)."""
    columns: dict[str, Any] = {}
    if changes.get("state") is not None:
        columns["state"] = _checked_state(changes["state"])
    if changes.get("config") is not None:
        config = checked_config(changes["config"])
        if config["method"] != sweep.method:
            raise SweepError(f"cannot change the method of sweep {sweep.name} ({sweep.method})")
        columns["config"] = changes["config"]
        columns["run_count_expected"] = sweep_config.expected_run_count(config)
    for name in ("controller", "scheduler"):
        if changes.get(name) is not None:
            if not isinstance(changes[name], dict):
                raise SweepError(f"{name} must be a JSON object")
            columns[name] = json.dumps(changes[name], separators=(",", ":"))
    for name in ("display_name", "description"):
        if changes.get(name) is not None:
            columns[name] = changes[name]
    if columns:
        store.sweeps.update(sweep.id, columns)
    changed = store.sweeps.by_id(sweep.id)
    assert changed is not None
    return changed


def register_agent(store: Store, sweep: Sweep, host: str) -> Agent:
    """A new agent of ``sweep``; refused once the sweep is finished or canceled."""
    if sweep.state in DONE_STATES:
        raise SweepError(
            f"sweep {sweep.entity}/{sweep.project}/{sweep.name} is {sweep.state.lower()};"
            " it takes no more agents"
        )
    return store.sweeps.add_agent(sweep.id, host)
