"""The lazy, paginated list of a project's runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from client._paginator import Paginator
from client._session import Session
from client.errors import NotFoundError
from client.history import histories
from client.run import Run


class Runs(Paginator[Run]):
    """The runs of a project matching ``filters``, in ``order``, fetched ``per_page`` at a time.

    Nothing is fetched until the object is iterated, indexed or measured with
    ``len()`` (which reports the server's ``runCount`` for the filters, as counted
    with the first page). Each page continues after the cursor of the previous
    page's last run.
    """

    def __init__(
        self,
        session: Session,
        entity: str,
        project: str,
        filters: Mapping[str, Any] | None = None,
        order: str = "+created_at",
        per_page: int = 50,
    ) -> None:
        """Describe the runs to list; see :meth:`client.Api.runs`."""
        super().__init__(per_page)
        self._session = session
        self.entity = entity
        self.project = project
        self.filters = dict(filters or {})
        self.order = order or "+created_at"
        self._count: int | None = None

    def _fetch(self, cursor: str | None) -> dict[str, Any]:
        data = self._session.graphql.execute(
            "Runs",
            {
                "project": self.project,
                "entity": self.entity,
                "filters": json.dumps(self.filters),
                "order": self.order,
                "perPage": self.per_page,
                "cursor": cursor,
                # Counting costs the server a pass over the project's runs: once is enough.
                "withCount": self._count is None,
            },
        )
        project = data.get("project") or {}
        if "runCount" in project:
            self._count = int(project["runCount"] or 0)
        return data

    def _connection(self) -> dict[str, Any]:
        project = (self.last_response or {}).get("project") or {}
        return project.get("runs") or {}

    @property
    def more(self) -> bool:
        """Whether another page may be fetched."""
        if self.last_response is None:
            return True
        return bool((self._connection().get("pageInfo") or {}).get("hasNextPage"))

    @property
    def cursor(self) -> str | None:
        """The cursor of the last run fetched (``None`` before the first page)."""
        edges = self._connection().get("edges") or []
        return edges[-1].get("cursor") if edges else None

    def convert_objects(self) -> list[Run]:
        """The runs of the last fetched page.

        Raises:
            NotFoundError: if the project does not exist.
        """
        if (self.last_response or {}).get("project") is None:
            raise NotFoundError(f"Could not find project {self.entity}/{self.project}")
        return [
            Run(self._session, self.entity, self.project, edge["node"]["name"], edge["node"])
            for edge in self._connection().get("edges") or []
        ]

    def __len__(self) -> int:
        """The number of runs matching the filters, as counted by the server."""
        if self._count is None:
            self._load_page()
        return self._count or 0

    #: Sampled history of every run, with a ``run_id`` column; see :func:`client.history.histories`.
    histories = histories

    def __repr__(self) -> str:
        return f"<Runs {self.entity}/{self.project}>"
