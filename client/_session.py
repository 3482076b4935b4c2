"""What every object fetched from the server needs to fetch more, and what "a run" is to
the modules below :class:`client.Run` (files, history, artifacts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from client._graphql import GraphQLClient
from client.errors import NotFoundError


class RunLike(Protocol):
    """What the helpers of a run read of it; :class:`client.Run` is one."""

    _session: Session
    _attrs: dict[str, Any]

    @property
    def entity(self) -> str: ...
    @property
    def project(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def storage_id(self) -> str: ...
    @property
    def path(self) -> list[str]: ...


#: Makes a :class:`client.Run` from ``(session, entity, project, run id)``.
RunFactory = Callable[["Session", str, str, str], RunLike]
#: Makes a :class:`client.Sweep` from ``(session, entity, project, sweep id)``.
SweepFactory = Callable[["Session", str, str, str], Any]


@dataclass(frozen=True)
class Session:
    """The GraphQL client of an :class:`client.Api`, and the app URL its objects link to.

    ``make_run`` builds runs for the objects that return them but sit below
    :class:`client.Run` (an artifact's ``logged_by``): the :class:`client.Api` passes
    ``Run`` itself, so that no module imports one above it. ``make_sweep`` likewise
    builds the sweep of a run (:class:`client.Sweep`, which itself sits above ``Run``).
    """

    graphql: GraphQLClient
    app_url: str
    make_run: RunFactory
    make_sweep: SweepFactory | None = None

    def run_node(self, run: RunLike, operation: str, **variables: Any) -> dict[str, Any]:
        """The ``project.run`` node of ``operation``'s answer for ``run``.

        Raises:
            NotFoundError: if the run does not exist.
        """
        names = {"project": run.project, "entity": run.entity, "name": run.id}
        data = self.graphql.execute(operation, {**names, **variables})
        node: dict[str, Any] | None = (data.get("project") or {}).get("run")
        if node is None:
            raise NotFoundError(f"Could not find run {'/'.join(run.path)}")
        return node
