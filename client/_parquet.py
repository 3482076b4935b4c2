"""History rows read from the parquet files a server exports (needs pyarrow).

Rows come out as wandb-core gives them: one value per column of the file, ``None``
where a row did not log the key, and with ``keys`` only ``_step`` and those keys
(rows that lack them are kept, with ``None``).
"""

from __future__ import annotations

import io
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from client._optional import require


class ParquetRows:
    """Rows of one run's parquet history files, ordered by step, sliced by step range."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        rows = [row for row in rows if row.get("_step") is not None]
        rows.sort(key=lambda row: row["_step"])
        self._rows = rows
        self._steps = [row["_step"] for row in rows]

    @classmethod
    def read(cls, files: Sequence[bytes], keys: Sequence[str] | None) -> ParquetRows:
        """The rows of ``files``, restricted to ``_step`` and ``keys`` when given."""
        parquet = require("pyarrow.parquet", "reading parquet history")
        rows: list[dict[str, Any]] = []
        for data in files:
            table = parquet.read_table(io.BytesIO(data))
            if keys:
                wanted = dict.fromkeys(["_step", *keys])
                table = table.select([key for key in wanted if key in table.column_names])
            rows.extend(table.to_pylist())
        return cls(rows)

    def between(self, min_step: int, max_step: int) -> list[dict[str, Any]]:
        """Rows with ``min_step <= _step < max_step``."""
        steps = self._steps
        return self._rows[bisect_left(steps, min_step) : bisect_left(steps, max_step)]
