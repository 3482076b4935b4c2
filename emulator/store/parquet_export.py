"""Runs' history as parquet files, as W&B exports it for the newer SDK.

The newer SDK (wandb-core) reads exported history from parquet and only the rest from
the live GraphQL queries, appending the two without removing duplicates. So a run is
served either wholly as one parquet file or wholly live, never half and half. It is
live when pyarrow is not installed, when the emulator's settings turn parquet off, or
when a key mixes types no parquet column can hold (say a number and a string): the
live queries return such values exactly. W&B exports a run's history some time after
it was logged; the emulator exports all of it whenever asked, whatever the run's
state, so results do not depend on timing.

The file of a run is built on first request and kept as the blob
``history/<run id>.parquet`` until the history changes (its ``version``).
"""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from typing import Any

from emulator.store import Store
from emulator.store.history import HISTORY, export_blob_key

PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"


@cache  # process-wide on purpose: whether a package is installed is the same for every app
def parquet_available() -> bool:
    """Whether pyarrow (the optional ``parquet`` extra) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def exported_version(store: Store, run_id: int) -> int | None:
    """The history version of run ``run_id`` available as parquet, building the file if
    needed; ``None`` when the run is served live."""
    if not parquet_available():
        return None
    info = store.history.info(run_id, HISTORY)
    if not info.line_count:
        return None
    exportable = info.exportable
    if info.exported_version != info.version or (
        exportable and store.blobs.get(export_blob_key(run_id)) is None
    ):
        keys = dict.fromkeys(["_step"])
        for shape in info.shapes:
            keys.update(dict.fromkeys(shape))
        selection = store.history.select(run_id, HISTORY)
        data = to_parquet({key: selection.column(key) for key in keys})
        exportable = data is not None
        if data is None:
            store.blobs.delete(export_blob_key(run_id))
        else:
            store.blobs.put(export_blob_key(run_id), data)
        store.history.mark_exported(run_id, HISTORY, info.version, exportable=exportable)
    return info.version if exportable else None


def read_export(store: Store, run_id: int, version: int) -> bytes | None:
    """The parquet file of ``run_id`` if it is the one exported for ``version``."""
    info = store.history.info(run_id, HISTORY)
    if info.exported_version != version or info.version != version or not info.exportable:
        return None
    return store.blobs.get(export_blob_key(run_id))


def to_parquet(columns: dict[str, list[Any]]) -> bytes | None:
    """A parquet file of ``columns`` (values per row, ``None`` where a row lacks the key),
    with ``_step`` as int64. ``None`` when some key's values fit no single column type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pa.table(
            {
                key: pa.array(values, type=pa.int64() if key == "_step" else None)
                for key, values in columns.items()
            }
        )
        sink = io.BytesIO()
        # Dictionary encoding buys little for metrics and costs most of the write time.
        pq.write_table(table, sink, use_dictionary=False)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return sink.getvalue()
