"""``Run.scan_history``: a lazy iterator over a run's full history, page by page.

It reads history the way the W&B SDK (wandb-core) does: it asks the server for the
run's parquet files and the steps still served live; exported rows come from the
parquet files (when pyarrow is installed), the rest from the live page queries
(``HistoryPage``, or ``SampledHistoryPage`` when keys are given).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from typing import Any

from client._lines import decode_rows
from client._optional import available
from client._parquet import ParquetRows
from client._session import RunLike

Row = dict[str, Any]


class _Pages:
    """Where the rows of one step range come from: parquet files and/or the live queries."""

    def __init__(self, run: RunLike, keys: Sequence[str] | None) -> None:
        self._run = run
        self._keys = list(keys) if keys else None
        node = run._session.run_node(run, "RunParquetHistory", liveKeys=["_step"])
        exported = node["parquetHistory"] or {}
        urls = exported.get("parquetUrls") or []
        self._parquet: ParquetRows | None = None
        #: Pages reaching this step are (also) read live.
        self._min_live_step = -math.inf
        if urls and available("pyarrow"):
            files = [run._session.graphql.transfer("GET", url) for url in urls]
            self._parquet = ParquetRows.read(files, self._keys)
            live_steps = [int(item["_step"]) for item in exported.get("liveData") or []]
            self._min_live_step = min(live_steps, default=math.inf)

    def rows(self, min_step: int, max_step: int) -> list[Row]:
        """Rows with ``min_step <= _step < max_step``: exported ones, then live ones."""
        rows = [] if self._parquet is None else list(self._parquet.between(min_step, max_step))
        if max_step >= self._min_live_step:
            rows.extend(self._live(min_step, max_step))
        return rows

    def _live(self, min_step: int, max_step: int) -> list[Row]:
        if self._keys is None:
            node = self._run._session.run_node(
                self._run,
                "HistoryPage",
                minStep=min_step,
                maxStep=max_step,
                pageSize=max_step - min_step,
            )
            return decode_rows(node["history"] or [])
        # The spec's maxStep is inclusive, unlike HistoryPage's.
        spec = {
            "keys": [*self._keys, "_step"],
            "minStep": min_step,
            "maxStep": max_step - 1,
            "samples": max_step - min_step,
        }
        node = self._run._session.run_node(self._run, "SampledHistoryPage", spec=json.dumps(spec))
        return [row for rows in node["sampledHistory"] or [] for row in rows]


class HistoryScan(Iterator[Row]):
    """Every history row of a run with ``min_step <= _step < max_step``, fetched
    ``page_size`` steps at a time as iteration reaches them.

    Iterating again starts over from ``min_step``.
    """

    def __init__(
        self,
        run: RunLike,
        *,
        keys: Sequence[str] | None,
        page_size: int,
        min_step: int,
        max_step: int,
    ) -> None:
        self.run = run
        self.keys = keys
        self.page_size = page_size
        self.min_step = min_step
        self._stop_step = max_step
        self._pages: _Pages | None = None
        self.page_offset = min_step
        self.scan_offset = 0
        self.rows: list[Row] = []

    @property
    def max_step(self) -> int:
        """The highest step this scan can yield."""
        return self._stop_step - 1

    def __iter__(self) -> HistoryScan:
        self.page_offset = self.min_step
        self.scan_offset = 0
        self.rows = []
        return self

    def __next__(self) -> Row:
        while True:
            if self.scan_offset < len(self.rows):
                row = self.rows[self.scan_offset]
                self.scan_offset += 1
                return row
            if self.page_offset >= self._stop_step:
                raise StopIteration
            # An empty page does not end the scan: later steps may still have rows.
            self._load_next()

    def _load_next(self) -> None:
        if self._pages is None:
            self._pages = _Pages(self.run, self.keys)
        stop = min(self.page_offset + self.page_size, self._stop_step)
        self.rows = self._pages.rows(self.page_offset, stop)
        self.page_offset += self.page_size
        self.scan_offset = 0

    def __repr__(self) -> str:
        return f"<HistoryScan {'/'.join(self.run.path)} steps {self.min_step}..{self.max_step}>"
