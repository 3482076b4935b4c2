"""Resolvers, one module per GraphQL type; ``BINDABLES`` lists them all."""

from __future__ import annotations

from emulator.resolvers import (
    artifact,
    artifact_collection,
    artifact_links,
    artifact_mutation,
    file,
    history,
    lifecycle,
    mutation,
    project,
    query,
    run,
    run_mutation,
    user,
)

BINDABLES = (
    *query.BINDABLES,
    *mutation.BINDABLES,
    *user.BINDABLES,
    *project.BINDABLES,
    *run.BINDABLES,
    *run_mutation.BINDABLES,
    *file.BINDABLES,
    *history.BINDABLES,
    *artifact.BINDABLES,
    *artifact_collection.BINDABLES,
    *artifact_mutation.BINDABLES,
    *artifact_links.BINDABLES,
    *lifecycle.BINDABLES,
)
