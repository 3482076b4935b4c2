"""Sweeps: one sweep with its runs and best run, and the paginated sweeps of a project."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

import yaml  # type: ignore[import-untyped]

from client._html import iframe
from client._paginator import ConnectionPaginator
from client._session import Session
from client.errors import NotFoundError
from client.run import Run
from client.runs import Runs

#: Run fields an order names as is; any other key is a summary metric, as in wandb.
_RUN_ORDER_FIELDS = frozenset({"created_at", "heartbeat_at", "state", "name", "display_name"})


def format_order_key(order: str) -> str:
    """``+loss`` -> ``+summary_metrics.loss``; run fields and dotted keys pass unchanged."""
    sign = order[0] if order[:1] in ("+", "-") else ""
    key = order[len(sign) :]
    if key in _RUN_ORDER_FIELDS or "." in key:
        return sign + key
    return f"{sign}summary_metrics.{key}"


class Sweep:
    """A hyperparameter sweep of a project and the runs it made.

    Attributes:
        entity: The entity owning the sweep's project.
        project: The project's name.
        id: The sweep's 8-character id.
        runs: The sweep's runs (a lazy :class:`~client.Runs`).
    """

    def __init__(
        self,
        session: Session,
        entity: str,
        project: str,
        sweep_id: str,
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        """Wrap the GraphQL sweep node ``attrs``, or fetch the sweep when ``attrs`` is empty.

        Raises:
            NotFoundError: if ``attrs`` is empty and the sweep does not exist.
        """
        self._session = session
        self.entity = entity
        self.project = project
        self.id = sweep_id
        self._attrs: dict[str, Any] = dict(attrs or {})
        if not self._attrs:
            self.load(force=True)
        self.runs = Runs(session, entity, project, {"$and": [{"sweep": sweep_id}]}, per_page=10)

    def load(self, force: bool = False) -> dict[str, Any]:
        """Fetch the sweep's attributes (again with ``force``).

        Raises:
            NotFoundError: if the sweep does not exist.
        """
        if force or not self._attrs:
            data = self._session.graphql.execute(
                "GetSweep", {"name": self.id, "project": self.project, "entity": self.entity}
            )
            node = (data.get("project") or {}).get("sweep")
            if node is None:
                raise NotFoundError(f"Could not find sweep {'/'.join(self.path)}")
            self._attrs = dict(node)
        return dict(self._attrs)

    @property
    def config(self) -> dict[str, Any]:
        """The sweep configuration (parsed from the YAML the server keeps)."""
        return dict(yaml.safe_load(self._attrs.get("config") or "{}") or {})

    @property
    def state(self) -> str:
        """``PENDING``, ``RUNNING``, ``PAUSED``, ``CANCELED`` or ``FINISHED``."""
        return str(self._attrs.get("state"))

    @property
    def name(self) -> str:
        """The display name, else the config's ``name``, else the sweep id."""
        return str(self._attrs.get("displayName") or self.config.get("name") or self.id)

    @property
    def expected_run_count(self) -> int | None:
        """How many runs the sweep will make, or ``None`` when unbounded."""
        value = self._attrs.get("runCountExpected")
        return None if value is None else int(value)

    @property
    def path(self) -> list[str]:
        """``[entity, project, sweep_id]``, URL-quoted."""
        return [quote_plus(self.entity), quote_plus(self.project), quote_plus(self.id)]

    @property
    def url(self) -> str:
        """The sweep's page in the W&B app: ``{app_url}/{entity}/{project}/sweeps/{id}``."""
        entity, project, sweep_id = self.path
        return f"{self._session.app_url}/{entity}/{project}/sweeps/{sweep_id}"

    @property
    def order(self) -> str | None:
        """The order that puts the best run first, from the config's metric (or ``None``)."""
        metric = self.config.get("metric")
        if not isinstance(metric, dict) or not metric.get("name"):
            return None
        prefix = "-" if metric.get("goal") == "maximize" else "+"
        return format_order_key(prefix + str(metric["name"]))

    def best_run(self, order: str | None = None) -> Run | None:
        """The sweep's best run by ``order`` (``+loss``, ``-summary_metrics.acc``...) or by
        the config's metric; ``None`` when the sweep has no run."""
        resolved = self.order if order is None else format_order_key(order)
        runs = Runs(
            self._session,
            self.entity,
            self.project,
            {"$and": [{"sweep": self.id}]},
            order=resolved or "-created_at",
            per_page=1,
        )
        try:
            return runs[0]
        except IndexError:
            return None

    def to_html(self, height: int = 420, hidden: bool = False) -> str:
        """HTML of an iframe showing the sweep, as wandb renders it."""
        return iframe(self.url, height=height, hidden=hidden, what="sweep")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __getattr__(self, name: str) -> Any:
        """Other attributes of the sweep (``method``, ``run_count``, ``best_loss``...) by
        their snake_case names."""
        key = "".join(part.capitalize() if i else part for i, part in enumerate(name.split("_")))
        if name.startswith("_") or key not in self.__dict__.get("_attrs", {}):
            raise AttributeError(name)
        return self._attrs[key]

    def __repr__(self) -> str:
        return f"<Sweep {'/'.join(self.path)} ({self._attrs.get('state', 'Unknown State')})>"


class Sweeps(ConnectionPaginator[Sweep]):
    """The sweeps of a project, oldest first, fetched ``per_page`` at a time."""

    def __init__(
        self,
        session: Session,
        entity: str,
        project: str,
        per_page: int = 50,
        filters: Mapping[str, Any] | None = None,
    ) -> None:
        """Describe the sweeps to list; see :meth:`client.Project.sweeps`."""
        self.entity = entity
        self.project = project
        self.filters = dict(filters or {})
        variables = {"project": project, "entity": entity, "filters": json.dumps(self.filters)}
        super().__init__(
            session, "GetSweeps", variables, ("project", "sweeps"), self._sweep, per_page
        )

    def _sweep(self, node: dict[str, Any]) -> Sweep:
        return Sweep(self._session, self.entity, self.project, node["name"], node)

    def _total(self) -> int | None:
        """The project's ``totalSweeps`` (the connection's count is of all sweeps too)."""
        total = ((self.last_response or {}).get("project") or {}).get("totalSweeps")
        return None if total is None else int(total)

    def _not_found(self) -> NotFoundError:
        return NotFoundError(f"Could not find project {self.entity}/{self.project}")

    def __repr__(self) -> str:
        return f"<Sweeps {self.entity}/{self.project}>"
