"""The lazy, paginated list of a project's runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from client._paginator import ConnectionPaginator
from client._session import Session
from client.errors import NotFoundError
from client.history import histories
from client.run import Run


class Runs(ConnectionPaginator[Run]):
    """The runs of a project matching ``filters``, in ``order``, fetched ``per_page`` at a time.

    Nothing is fetched until the object is iterated, indexed or measured with
    ``len()`` (which reports the server's ``runCount`` for the filters, as counted
    with the first page). Each page continues after the cursor of the previous
    page's last run.
    """

    cursor_from_edges = True

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
        self.entity = entity
        self.project = project
        self.filters = dict(filters or {})
        self.order = order or "+created_at"
        self._count: int | None = None
        variables = {"project": project, "entity": entity}
        super().__init__(session, "Runs", variables, ("project", "runs"), self._run, per_page)

    def _run(self, node: dict[str, Any]) -> Run:
        return Run(self._session, self.entity, self.project, node["name"], node)

    def _page_variables(self, cursor: str | None) -> dict[str, Any]:
        return {
            **super()._page_variables(cursor),
            "filters": json.dumps(self.filters),
            "order": self.order,
            # Counting costs the server a pass over the project's runs: once is enough.
            "withCount": self._count is None,
        }

    def _fetch(self, cursor: str | None) -> dict[str, Any]:
        data = super()._fetch(cursor)
        project = data.get("project") or {}
        if "runCount" in project:
            self._count = int(project["runCount"] or 0)
        return data

    def _not_found(self) -> NotFoundError:
        return NotFoundError(f"Could not find project {self.entity}/{self.project}")

    def _total(self) -> int:
        return self._count or 0

    #: Sampled history of every run, with a ``run_id`` column; see :func:`client.history.histories`.
    histories = histories

    def __repr__(self) -> str:
        return f"<Runs {self.entity}/{self.project}>"
