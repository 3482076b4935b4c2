"""Sweep mutations: ``upsertSweep``, ``createAgent`` and ``agentHeartbeat``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType
from graphql import GraphQLError

from emulator import ids
from emulator.resolvers.context import Info, settings_of, store_of
from emulator.resolvers.mutation import DEFAULT_PROJECT
from emulator.store.filters import FilterError
from emulator.store.sweeps import Sweep
from emulator.sweeps import SweepConfigError, SweepController
from emulator.sweeps.lifecycle import SweepError, change_sweep, create_sweep, register_agent

mutation = MutationType()


def _sweep_by_id(info: Info, value: str) -> Sweep:
    try:
        [storage_id] = ids.decode_id(value, "Sweep")
        found = store_of(info).sweeps.by_id(int(storage_id))
    except (ids.InvalidIdError, ValueError):
        raise GraphQLError(f"invalid sweep id {value!r}") from None
    if found is None:
        raise GraphQLError(f"sweep {value!r} not found")
    return found


@mutation.field("upsertSweep")
def resolve_upsert_sweep(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Change the sweep named by ``id``, or create one from ``config`` (YAML)."""
    store = store_of(info)
    try:
        if input.get("id"):
            sweep = change_sweep(store, _sweep_by_id(info, input["id"]), input)
            inserted = False
        else:
            if input.get("config") is None:
                raise GraphQLError("config: a new sweep needs a config")
            sweep = create_sweep(
                store,
                input.get("entity_name") or settings_of(info).entity,
                input.get("project_name") or DEFAULT_PROJECT,
                input["config"],
                username=settings_of(info).entity,
                state=input.get("state"),
                display_name=input.get("display_name"),
                description=input.get("description"),
                prior_runs=input.get("prior_runs_filters"),
            )
            inserted = True
    except (SweepConfigError, SweepError, FilterError) as error:
        raise GraphQLError(f"invalid sweep: {error}") from None
    return {
        "sweep": sweep,
        "inserted": inserted,
        "config_validation_warnings": [],
        "client_mutation_id": input.get("client_mutation_id"),
    }


@mutation.field("createAgent")
def resolve_create_agent(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Register an agent for sweep ``entity/project/sweep``."""
    entity = input.get("entity_name") or settings_of(info).entity
    project = input.get("project_name") or DEFAULT_PROJECT
    sweep = store_of(info).sweeps.get(entity, project, input["sweep"])
    if sweep is None:
        raise GraphQLError(f"sweep {entity}/{project}/{input['sweep']} not found")
    try:
        agent = register_agent(store_of(info), sweep, input["host"])
    except SweepError as error:
        raise GraphQLError(str(error)) from None
    return {"agent": agent, "client_mutation_id": input.get("client_mutation_id")}


@mutation.field("agentHeartbeat")
def resolve_agent_heartbeat(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Record the heartbeat and answer with the agent's commands (a JSON list)."""
    try:
        [storage_id] = ids.decode_id(input["id"], "Agent")
        agent = store_of(info).sweeps.agent(int(storage_id))
    except (ids.InvalidIdError, ValueError):
        raise GraphQLError(f"invalid agent id {input['id']!r}") from None
    if agent is None:
        raise GraphQLError(f"agent {input['id']!r} not found")
    run_states = input.get("run_state") or {}
    if not isinstance(run_states, dict):
        raise GraphQLError("runState must be a JSON object of run name to running (bool)")
    try:
        commands = SweepController(store_of(info)).commands(agent, run_states)
    except SweepConfigError as error:
        raise GraphQLError(f"sweep cannot suggest runs: {error}") from None
    return {
        "agent": store_of(info).sweeps.agent(agent.id),
        "commands": commands,
        "client_mutation_id": input.get("client_mutation_id"),
    }


BINDABLES = (mutation,)
