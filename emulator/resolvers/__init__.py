"""Resolvers, one module per GraphQL type; ``BINDABLES`` lists them all."""

from __future__ import annotations

from emulator.resolvers import lifecycle, mutation, project, query, run, user

BINDABLES = (
    *query.BINDABLES,
    *mutation.BINDABLES,
    *user.BINDABLES,
    *project.BINDABLES,
    *run.BINDABLES,
    *lifecycle.BINDABLES,
)
