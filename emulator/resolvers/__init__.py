"""Resolvers, one module per GraphQL type; ``BINDABLES`` lists them all."""

from __future__ import annotations

from emulator.resolvers import (
    artifact,
    artifact_collection,
    artifact_mutation,
    file,
    history,
    lifecycle,
    mutation,
    organization,
    project,
    query,
    run,
    run_mutation,
    team,
    user,
)

BINDABLES = (
    *query.BINDABLES,
    *mutation.BINDABLES,
    *user.BINDABLES,
    *team.BINDABLES,
    *organization.BINDABLES,
    *project.BINDABLES,
    *run.BINDABLES,
    *run_mutation.BINDABLES,
    *file.BINDABLES,
    *history.BINDABLES,
    *artifact.BINDABLES,
    *artifact_collection.BINDABLES,
    *artifact_mutation.BINDABLES,
    *lifecycle.BINDABLES,
)
