"""Run mutations besides upsertBucket: ``deleteRun`` and ``updateRunState``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType
from graphql import GraphQLError

from emulator import ids
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.viewer import require_write
from emulator.store import Run

mutation = MutationType()

#: Target state -> the states a run may move to it from (as W&B's updateRunState allows).
STATE_TRANSITIONS = {
    "pending": frozenset({"running", "failed", "crashed", "preempted"}),
    "failed": frozenset({"pending", "running"}),
}


def require_run(info: Info, entity: str, project: str, name: str) -> Run:
    """Run ``entity/project/name``; a GraphQL error naming it if it does not exist."""
    run = store_of(info).runs.get(entity, project, name)
    if run is None:
        raise GraphQLError(f"run {entity}/{project}/{name} not found")
    return run


def run_by_storage_id(info: Info, storage_id: str) -> Run:
    """The run a storage id names; a GraphQL error if the id is malformed or the run missing."""
    try:
        return require_run(info, *ids.decode_run_id(storage_id))
    except ids.InvalidIdError as error:
        raise GraphQLError(str(error)) from None


@mutation.field("deleteRun")
def resolve_delete_run(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Delete the run with its history and files (and its artifacts if ``deleteArtifacts``)."""
    run = run_by_storage_id(info, input["id"])
    require_write(info, run.entity)
    store_of(info).delete_run(run.id, delete_artifacts=bool(input.get("delete_artifacts")))
    return {"client_mutation_id": input.get("client_mutation_id")}


@mutation.field("updateRunState")
def resolve_update_run_state(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Apply one of the allowed state transitions; anything else is an error naming it."""
    state = input["state"]
    with store_of(info).db.transaction():
        run = run_by_storage_id(info, input["id"])
        if run.state not in STATE_TRANSITIONS.get(state, ()):
            raise GraphQLError(f"cannot move run {run.name} from {run.state!r} to {state!r}")
        store_of(info).runs.update(run.id, {"state": state})
    return {"success": True, "client_mutation_id": input.get("client_mutation_id")}


BINDABLES = (mutation,)
