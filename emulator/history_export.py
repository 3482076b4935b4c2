"""Runs' history as parquet files, the way W&B exports the history of runs that ended.

The newer SDK (wandb-core) reads exported history from parquet and only the rest from
the live GraphQL queries, appending the two without removing duplicates. So a run is
served either wholly as one parquet file or wholly live, never half and half:

- runs still ``running`` are live (W&B exports a run's history once it has ended),
- so are all runs when pyarrow is not installed, or the emulator's settings turn
  parquet off, or a key mixes types no parquet column can hold (say a number and a
  string): the live queries return such values exactly.

The file of a run is built on first request and kept as the blob
``history/<run id>.parquet`` until the history changes (its ``version``).
"""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from typing import Any

from emulator.store import Run, Store
from emulator.store.history import HISTORY

PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"


@cache
def parquet_available() -> bool:
    """Whether pyarrow (the optional ``parquet`` extra) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def blob_key(run_id: int) -> str:
    """Where the parquet file of run ``run_id`` is kept."""
    return f"history/{run_id}.parquet"


def exported_version(store: Store, run: Run) -> int | None:
    """The history version of ``run`` available as parquet, building the file if needed;
    ``None`` when the run is served live."""
    if run.state == "running" or not parquet_available():
        return None
    info = store.history.info(run.id, HISTORY)
    if not info.line_count:
        return None
    if info.exported_version != info.version or (
        info.exportable and store.blobs.get(blob_key(run.id)) is None
    ):
        rows = list(store.history.select(run.id, HISTORY).rows())
        data = to_parquet(rows)
        if data is None:
            store.blobs.delete(blob_key(run.id))
        else:
            store.blobs.put(blob_key(run.id), data)
        store.history.mark_exported(run.id, HISTORY, info.version, exportable=data is not None)
        return info.version if data is not None else None
    return info.version if info.exportable else None


def read_export(store: Store, run_id: int, version: int) -> bytes | None:
    """The parquet file of ``run_id`` if it is the one exported for ``version``."""
    info = store.history.info(run_id, HISTORY)
    if info.exported_version != version or info.version != version or not info.exportable:
        return None
    return store.blobs.get(blob_key(run_id))


def to_parquet(rows: list[dict[str, Any]]) -> bytes | None:
    """``rows`` as a parquet file: an int64 ``_step`` column and one column per key, null
    where a row lacks the key. ``None`` when some key's values fit no single column type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = dict.fromkeys(["_step"])
    for row in rows:
        keys.update(dict.fromkeys(row))
    try:
        columns = {
            key: pa.array(
                [row.get(key) for row in rows], type=pa.int64() if key == "_step" else None
            )
            for key in keys
        }
        sink = io.BytesIO()
        pq.write_table(pa.table(columns), sink)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return sink.getvalue()
