"""Run fields a logging SDK reads to resume a run, and ``stopRun``."""

from __future__ import annotations

import json
from typing import Any

from ariadne import MutationType, ObjectType
from graphql import GraphQLError

from emulator import ids
from emulator.resolvers.context import Info, store_of
from emulator.store import Run
from emulator.store.history import EVENTS, HISTORY

run = ObjectType("Run")
mutation = MutationType()

#: How many lines ``historyTail`` / ``eventsTail`` carry; the SDK reads the last one.
TAIL_LINES = 10


def _tail(rows: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(row, separators=(",", ":")) for row in rows]


@run.field("logLineCount")
def resolve_log_line_count(obj: Run, info: Info) -> int:
    return store_of(info).console.line_count(obj.id)


@run.field("historyTail")
def resolve_history_tail(obj: Run, info: Info) -> list[str]:
    return _tail(store_of(info).history.tail(obj.id, HISTORY, TAIL_LINES))


@run.field("eventsTail")
def resolve_events_tail(obj: Run, info: Info) -> list[str]:
    return _tail(store_of(info).history.tail(obj.id, EVENTS, TAIL_LINES))


@run.field("wandbConfig")
def resolve_wandb_config(obj: Run, _: Info, keys: list[str] | None = None) -> dict[str, Any]:
    """The requested keys of ``config._wandb.value`` (all of them without ``keys``)."""
    internal = obj.config.get("_wandb", {})
    values = internal.get("value", {}) if isinstance(internal, dict) else {}
    if not isinstance(values, dict):
        return {}
    return {key: value for key, value in values.items() if keys is None or key in keys}


@run.field("stopped")
def resolve_stopped(obj: Run, info: Info) -> bool:
    return store_of(info).lifecycle.stop_requested(obj.id)


@mutation.field("stopRun")
def resolve_stop_run(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    try:
        entity, project, name = ids.decode_run_id(input["id"])
    except ids.InvalidIdError as error:
        raise GraphQLError(str(error)) from None
    store = store_of(info)
    target = store.runs.get(entity, project, name)
    if target is None:
        raise GraphQLError(f"run {entity}/{project}/{name} not found")
    store.lifecycle.request_stop(target.id)
    return {"success": True, "client_mutation_id": input.get("client_mutation_id")}


BINDABLES = (run, mutation)
