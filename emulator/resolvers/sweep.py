"""Sweep fields, and the sweep fields of projects and runs."""

from __future__ import annotations

import json
from typing import Any

from ariadne import ObjectType
from graphql import GraphQLError

from emulator import ids
from emulator.resolvers.connections import check_first, connection, list_connection
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.project import resolve_runs as resolve_project_runs
from emulator.store import Project, Run, User
from emulator.store.pagination import Cursor, CursorError
from emulator.store.sweeps import Agent, Sweep
from emulator.sweeps.metric import sweep_metric

sweep = ObjectType("Sweep")
agent = ObjectType("Agent")
project = ObjectType("Project")
run = ObjectType("Run")

#: Sweep fields ``project.sweeps(filters:)`` can test, by the name filters use.
_FILTERABLE = {
    "name": "name",
    "state": "state",
    "method": "method",
    "displayName": "display_name",
    "display_name": "display_name",
}


def sweep_id(obj: Sweep) -> str:
    """A sweep's GraphQL id: base64 ``Sweep:<storage id>``."""
    return ids.encode_id("Sweep", obj.id)


@sweep.field("id")
def resolve_id(obj: Sweep, _: Info) -> str:
    return sweep_id(obj)


@sweep.field("earlyStopJobRunning")
def resolve_early_stop_job_running(*_: Any) -> bool:
    return False


@sweep.field("project")
def resolve_project(obj: Sweep, info: Info) -> Project | None:
    return store_of(info).projects.project(obj.entity, obj.project)


@sweep.field("user")
def resolve_user(obj: Sweep, info: Info) -> User | None:
    return store_of(info).projects.user(obj.username)


@sweep.field("bestLoss")
def resolve_best_loss(obj: Sweep, info: Info) -> float | None:
    """The best value of the config's metric over the sweep's runs (null without a metric)."""
    metric = sweep_metric(obj.config)
    if metric is None:
        return None
    page = store_of(info).runs.page(obj.project_id, filters={"sweep": obj.name}, first=1000)
    return metric.best(run.summary_metrics for run in page.runs)


@sweep.field("runs")
def resolve_runs(obj: Sweep, info: Info, filters: Any = None, **args: Any) -> dict[str, Any]:
    """The sweep's runs: the project's runs filtered to this sweep."""
    project_record = store_of(info).projects.project(obj.entity, obj.project)
    if filters is not None and not isinstance(filters, dict):
        raise GraphQLError(f"filters must be a JSON object, got {type(filters).__name__}")
    own = {"sweep": obj.name}
    combined = {"$and": [own, filters]} if filters else own
    result: dict[str, Any] = resolve_project_runs(project_record, info, filters=combined, **args)
    return result


@sweep.field("agents")
def resolve_agents(
    obj: Sweep, info: Info, after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    return list_connection(store_of(info).sweeps.agents(obj.id), after=after, first=first)


@sweep.field("agent")
def resolve_agent(obj: Sweep, info: Info, agent_name: str) -> Agent | None:
    """An agent of the sweep by name (or GraphQL id); null when missing."""
    for candidate in store_of(info).sweeps.agents(obj.id):
        if agent_name in (candidate.name, agent_id(candidate)):
            return candidate
    return None


def agent_id(obj: Agent) -> str:
    """An agent's GraphQL id: base64 ``Agent:<storage id>``."""
    return ids.encode_id("Agent", obj.id)


@agent.field("id")
def resolve_agent_id(obj: Agent, _: Info) -> str:
    return agent_id(obj)


@agent.field("persistent")
def resolve_persistent(*_: Any) -> bool:
    return False


@agent.field("sweep")
def resolve_agent_sweep(obj: Agent, info: Info) -> Sweep | None:
    return store_of(info).sweeps.by_id(obj.sweep_id)


@agent.field("runs")
def resolve_agent_runs(obj: Agent, info: Info, **args: Any) -> dict[str, Any]:
    """The started runs of those the controller handed to this agent."""
    store = store_of(info)
    owner = store.sweeps.by_id(obj.sweep_id)
    assert owner is not None  # agents are deleted with their sweep
    names = store.sweeps.run_names_of_agent(obj.id)
    runs: dict[str, Any] = resolve_runs(owner, info, filters={"name": {"$in": names}}, **args)
    return runs


@project.field("sweep")
def resolve_project_sweep(obj: Project, info: Info, sweep_name: str) -> Sweep | None:
    """A missing sweep is ``null``, as on W&B."""
    return store_of(info).sweeps.get(obj.entity, obj.name, sweep_name)


@project.field("totalSweeps")
def resolve_total_sweeps(obj: Project, info: Info) -> int:
    return store_of(info).sweeps.count(obj.id)


@project.field("sweeps")
def resolve_sweeps(
    obj: Project,
    info: Info,
    filters: Any = None,
    after: str | None = None,
    first: int | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    """The project's sweeps, oldest first, optionally filtered by name, state, method or
    display name (a value, or ``{"$in": [...]}``)."""
    limit = check_first(first)
    matches = _sweep_filter(filters)
    try:
        after_id = Cursor.decode(after).id if after else 0
    except CursorError as error:
        raise GraphQLError(f"invalid cursor: {error}") from None
    store = store_of(info)
    found: list[Sweep] = []
    batch = store.sweeps.of_project(obj.id, after_id=after_id, limit=1000)
    while batch and len(found) <= limit:
        found += [candidate for candidate in batch if matches(candidate)]
        batch = store.sweeps.of_project(obj.id, after_id=batch[-1].id, limit=1000)
    page = found[:limit]
    edges = [{"node": item, "cursor": Cursor(None, item.id).encode()} for item in page]
    result = connection(edges, has_next_page=len(found) > limit, after=after)
    return {**result, "total_count": store.sweeps.count(obj.id)}


def _sweep_filter(filters: Any) -> Any:
    """A predicate on sweeps from ``filters``; a GraphQL error naming what is unsupported."""
    if isinstance(filters, str):
        filters = json.loads(filters)
    if not filters:
        return lambda _: True
    if not isinstance(filters, dict):
        raise GraphQLError(f"filters must be a JSON object, got {type(filters).__name__}")
    tests = []
    for key, condition in filters.items():
        if key not in _FILTERABLE:
            raise GraphQLError(
                f"cannot filter sweeps on {key!r}; use one of {', '.join(sorted(_FILTERABLE))}"
            )
        allowed = condition.get("$in") if isinstance(condition, dict) else [condition]
        if not isinstance(allowed, list):
            raise GraphQLError(f"filter on {key!r} must be a value or {{'$in': [...]}}")
        tests.append((_FILTERABLE[key], allowed))
    return lambda item: all(getattr(item, column) in allowed for column, allowed in tests)


@run.field("sweep")
def resolve_run_sweep(obj: Run, info: Info) -> Sweep | None:
    if not obj.sweep_name:
        return None
    return store_of(info).sweeps.get(obj.entity, obj.project, obj.sweep_name)


@run.field("exitcode")
def resolve_exitcode(obj: Run, info: Info) -> int | None:
    return store_of(info).lifecycle.exit_code(obj.id)


@run.field("shouldStop")
def resolve_should_stop(obj: Run, info: Info) -> bool:
    return store_of(info).lifecycle.stop_requested(obj.id)


@run.field("failed")
def resolve_failed(obj: Run, _: Info) -> bool:
    return obj.state in ("failed", "crashed")


@run.field("running")
def resolve_running(obj: Run, _: Info) -> bool:
    return obj.state == "running"


BINDABLES = (sweep, agent, project, run)
