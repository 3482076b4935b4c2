"""A project's runs table: what the query string asks for, and the page of runs it gives.

The filter box takes the same MongoDB-style JSON the API's ``filters`` argument takes,
the one-click state and tag filters are ANDed to it, ``order`` is the API's order string
and ``after`` the API's cursor, so every page is the page the API would return. A
filter the store cannot compile shows the API's own message instead of rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.store import Project, Run, Store
from emulator.store.filters import FilterError
from emulator.store.pagination import CursorError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
#: Config and summary columns shown when the query string chooses none.
DEFAULT_COLUMNS = 3
#: The fixed columns: header label -> the API's order field.
FIXED_COLUMNS = (
    ("Name", "display_name"),
    ("State", "state"),
    ("User", "username"),
    ("Created", "created_at"),
)
_PREFIXES = ("config.", "summary_metrics.")


@dataclass(frozen=True)
class TableQuery:
    """The table's query-string parameters."""

    filters: str = ""
    state: str = ""
    tag: str = ""
    order: str = "-created_at"
    after: str | None = None
    columns: list[str] = field(default_factory=list)
    first: int = PAGE_SIZE

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> TableQuery:
        """Read the parameters; unknown ones are ignored, a bad page size falls back."""
        columns = [
            name.strip()
            for name in params.get("cols", "").split(",")
            if name.strip().startswith(_PREFIXES)
        ]
        try:
            first = min(MAX_PAGE_SIZE, max(1, int(params.get("first", PAGE_SIZE))))
        except ValueError:
            first = PAGE_SIZE
        return cls(
            filters=params.get("filters", "").strip(),
            state=params.get("state", ""),
            tag=params.get("tag", ""),
            order=params.get("order", "") or "-created_at",
            after=params.get("after") or None,
            columns=columns,
            first=first,
        )

    def params(self) -> dict[str, Any]:
        """The parameters as a query string holds them (without the cursor)."""
        return {
            "filters": self.filters,
            "state": self.state,
            "tag": self.tag,
            "order": self.order,
            "cols": ",".join(self.columns),
            "first": self.first if self.first != PAGE_SIZE else None,
        }

    def filter_document(self) -> dict[str, Any]:
        """The filter the API is given: the box's document and the one-click filters.

        Raises FilterError (with the message the page shows) for text that is not a
        JSON object.
        """
        parts: list[Any] = []
        if self.filters:
            try:
                document = json.loads(self.filters)
            except ValueError as error:
                raise FilterError(f"filters are not valid JSON: {error}") from None
            if not isinstance(document, dict):
                raise FilterError(f"filters must be a JSON object, got {self.filters!r}")
            parts.append(document)
        if self.state:
            parts.append({"state": self.state})
        if self.tag:
            parts.append({"tags": self.tag})
        if len(parts) == 1:
            return dict(parts[0])
        return {"$and": parts} if parts else {}


@dataclass(frozen=True)
class Table:
    """One page of the table, or the error that stopped it."""

    runs: list[Run]
    columns: list[str]
    count: int | None
    next_cursor: str | None
    error: str | None = None


def _shown(key: str, value: Any) -> bool:
    """Whether a key makes a default column: W&B's own keys and nested values (media,
    dicts, lists) do not."""
    return not key.startswith("_") and (value is None or isinstance(value, (int, float, str)))


def default_columns(runs: list[Run]) -> list[str]:
    """The first config and summary keys with plain values on the page's runs (a few of
    each)."""
    config: dict[str, None] = {}
    summary: dict[str, None] = {}
    for run in runs:
        config.update(
            dict.fromkeys(
                key
                for key, entry in run.config.items()
                if _shown(key, entry.get("value") if isinstance(entry, dict) else entry)
            )
        )
        summary.update(
            dict.fromkeys(key for key, value in run.summary_metrics.items() if _shown(key, value))
        )
        if len(config) >= DEFAULT_COLUMNS and len(summary) >= DEFAULT_COLUMNS:
            break
    return [f"config.{key}" for key in list(config)[:DEFAULT_COLUMNS]] + [
        f"summary_metrics.{key}" for key in list(summary)[:DEFAULT_COLUMNS]
    ]


def cell(run: Run, column: str) -> Any:
    """The value a ``config.KEY`` or ``summary_metrics.KEY`` column shows for ``run``
    (``None`` when missing); config values are unwrapped from ``{"value": ...}``."""
    prefix, _, key = column.partition(".")
    if prefix == "config":
        entry = run.config.get(key)
        return entry.get("value") if isinstance(entry, dict) else entry
    return run.summary_metrics.get(key)


def read_table(store: Store, project: Project, query: TableQuery) -> Table:
    """The page of runs ``query`` asks for, with the matching run count."""
    try:
        filters = query.filter_document()
        page = store.runs.page(
            project.id,
            filters=filters,
            order=query.order,
            first=query.first,
            after=query.after,
        )
        count = store.runs.count(project.id, filters)
    except FilterError as error:
        return Table([], query.columns, None, None, f"invalid filters or order: {error}")
    except CursorError as error:
        return Table([], query.columns, None, None, f"invalid cursor: {error}")
    columns = query.columns or default_columns(page.runs)
    next_cursor = page.cursors[-1] if page.has_next_page else None
    return Table(page.runs, columns, count, next_cursor)
