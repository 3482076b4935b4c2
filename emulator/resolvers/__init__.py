"""Resolvers, one module per GraphQL type; ``BINDABLES`` lists them all."""

from __future__ import annotations

from emulator.resolvers import history, project, query, run, user

BINDABLES = (
    *query.BINDABLES,
    *user.BINDABLES,
    *project.BINDABLES,
    *run.BINDABLES,
    *history.BINDABLES,
)
