"""Run mutations: ``upsertBucket`` in all four of the SDK's forms."""

from __future__ import annotations

import secrets
import string
from typing import Any

from ariadne import MutationType
from graphql import GraphQLError

from emulator import ids
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.viewer import default_entity_of, require_write, viewer_of
from emulator.store.records import RUN_STATES

mutation = MutationType()

#: upsertBucket input field (snake_cased by Ariadne) -> run record attribute.
_COPIED = {
    "display_name": "display_name",
    "description": "description",
    "notes": "notes",
    "group_name": "group",
    "job_type": "job_type",
    "commit": "commit",
    "host": "host",
    "sweep": "sweep_name",
    "state": "state",
    "tags": "tags",
    "config": "config",
    "summary_metrics": "summary_metrics",
}
_RUN_ID_ALPHABET = string.ascii_lowercase + string.digits
#: Project of runs created without one, as on W&B.
DEFAULT_PROJECT = "uncategorized"


def _changes(fields: dict[str, Any]) -> dict[str, Any]:
    """Record changes from the input; null fields are left unchanged, as W&B does."""
    changes = {_COPIED[key]: value for key, value in fields.items() if key in _COPIED}
    changes = {key: value for key, value in changes.items() if value is not None}
    for name in ("config", "summary_metrics"):
        if name in changes and not isinstance(changes[name], dict):
            kind = type(changes[name]).__name__
            raise GraphQLError(f"{name} must be a JSON object, got {kind}")
    if "state" in changes and changes["state"] not in RUN_STATES:
        raise GraphQLError(
            f"unknown run state {changes['state']!r}; expected one of {', '.join(RUN_STATES)}"
        )
    return changes


def _target(fields: dict[str, Any], info: Info) -> tuple[str, str, str]:
    """(entity, project, run name) the mutation is about."""
    if fields.get("id"):
        try:
            return ids.decode_run_id(fields["id"])
        except ids.InvalidIdError as error:
            raise GraphQLError(str(error)) from None
    entity = fields.get("entity_name") or default_entity_of(info)
    project = fields.get("model_name") or DEFAULT_PROJECT
    name = fields.get("name") or "".join(secrets.choice(_RUN_ID_ALPHABET) for _ in range(8))
    return entity, project, name


@mutation.field("upsertBucket")
def resolve_upsert_bucket(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Update the run named by ``id`` (which must exist), or upsert by entity/project/name."""
    changes = _changes(input)
    entity, project, name = _target(input, info)
    require_write(info, entity)
    store = store_of(info)
    if input.get("id"):
        run = store.runs.get(entity, project, name)
        if run is None:
            raise GraphQLError(f"run {entity}/{project}/{name} not found")
        store.runs.update(run.id, changes)
        inserted = False
    else:
        user = viewer_of(info).username
        inserted = store.runs.upsert(entity, project, name, changes, username=user)
    return {
        "bucket": store.runs.get(entity, project, name),
        "inserted": inserted,
        "server_settings": {"server_messages": []},
    }


BINDABLES = (mutation,)
