"""Resolvers, one module per feature area; ``BINDABLES`` lists them all.

A module is a feature slice (runs, history, files, artifacts...), not a GraphQL type: several
modules bind fields of ``Run`` or ``Project``, each its own fields. A field is bound in one
module only (``tests/emulator/test_resolver_bindings.py`` checks it): ariadne would let the
later binding win silently.
"""

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
    organization,
    project,
    query,
    registry,
    registry_members,
    run,
    run_mutation,
    sweep,
    sweep_mutation,
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
    *artifact_links.BINDABLES,
    *registry.BINDABLES,
    *registry_members.BINDABLES,
    *lifecycle.BINDABLES,
    *sweep.BINDABLES,
    *sweep_mutation.BINDABLES,
)
