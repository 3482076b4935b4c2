"""Resolvers, one module per GraphQL type; ``BINDABLES`` lists them all."""

from __future__ import annotations

from emulator.resolvers import (
    artifact,
    artifact_collection,
    artifact_mutation,
    mutation,
    project,
    query,
    run,
    user,
)

BINDABLES = (
    *query.BINDABLES,
    *mutation.BINDABLES,
    *user.BINDABLES,
    *project.BINDABLES,
    *run.BINDABLES,
    *artifact.BINDABLES,
    *artifact_collection.BINDABLES,
    *artifact_mutation.BINDABLES,
)
