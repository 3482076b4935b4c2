"""Runs' history as parquet files, as W&B exports it for the newer SDK.

The newer SDK (wandb-core) reads exported history from parquet and the rest from the
live GraphQL queries, appending the two without removing duplicates; a live page that
straddles the end of the exported rows would repeat them. So a run is served either
wholly as parquet files or wholly live, never half and half. It is live when pyarrow is
not installed, when the emulator's settings turn parquet off, or when some rows cannot
be exported (a key mixing types no parquet column can hold, say a number and a string):
the live queries return such values exactly.

wandb-core caches each file by its position in ``parquetUrls``, so a file once served
never changes (see :mod:`emulator.store.history_exports`): rows logged after a reader
asked become a further file the next time any reader asks. W&B exports a run's history
some time after it was logged; the emulator exports whatever is new whenever asked,
whatever the run's state, so results do not depend on timing.
"""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from typing import Any

from emulator.store import Store
from emulator.store.history import HISTORY
from emulator.store.history_exports import ExportedFile

PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"


@cache  # process-wide on purpose: whether a package is installed is the same for every app
def parquet_available() -> bool:
    """Whether pyarrow (the optional ``parquet`` extra) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def exported_files(store: Store, run_id: int) -> list[ExportedFile] | None:
    """The parquet files of run ``run_id``, by position, exporting the lines not yet in
    one as a further file; ``None`` when the run is served live."""
    exports = store.history_exports
    if not parquet_available():
        return None
    with exports.lock(run_id):
        if exports.is_live(run_id):
            return None
        files = exports.files(run_id)
        start = files[-1].end_line if files else 0
        info = store.history.info(run_id, HISTORY)
        if info.line_count > start:
            data = _export(store, run_id, start, info.line_count, info.shapes)
            if data is None:
                exports.set_live(run_id)
                return None
            added = exports.add(run_id, start, info.line_count)
            store.blobs.put(added.blob_key, data)
            files.append(added)
    return files or None


def _export(
    store: Store, run_id: int, start: int, end: int, shapes: list[tuple[str, ...]]
) -> bytes | None:
    # Every key the run logged so far gets a column, null where these lines lack it: a
    # reader selecting a key fails on a file without its column.
    keys = dict.fromkeys(["_step"])
    for shape in shapes:
        keys.update(dict.fromkeys(shape))
    selection = store.history.select_lines(run_id, HISTORY, start, end)
    return to_parquet({key: selection.column(key) for key in keys})


def read_export(store: Store, run_id: int, position: int) -> bytes | None:
    """The parquet file at ``position`` of run ``run_id``, if one was served."""
    found = store.history_exports.file(run_id, position)
    return None if found is None else store.blobs.get(found.blob_key)


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
