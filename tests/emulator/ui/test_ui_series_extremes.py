"""Charts of long histories come from the store's per-block extremes: every spike shows,
whether the extremes were kept as the chunks filled up or are worked out from older
chunks that lack them."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from emulator.store import Run, Store
from emulator.store.history import HISTORY
from emulator.store.history_chunks import EXTREME_BLOCK, Chunk
from emulator.ui.series import BUCKETS, Series, stream_series

LINES = BUCKETS * EXTREME_BLOCK + 6_000  # long enough to be charted from extremes
SPIKES = {12_345: 40.0, 54_321: -40.0, LINES - 1: 41.0}
NAN_LINES = range(1_000, 1_010)


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for line in range(LINES):
        loss = SPIKES.get(line, 2.0 * math.exp(-line / 20_000) + 0.01 * math.sin(line))
        rows.append({"_step": line, "loss": math.nan if line in NAN_LINES else loss})
        if line % 3 == 0:  # a second shape: acc is read from one group, loss from two
            rows[-1]["acc"] = line / LINES
    return rows


def _logged(store: Store, *, batch: int) -> int:
    """A run whose history was written ``batch`` lines at a time (as file_stream sends it)."""
    project = store.projects.ensure_project("e", "p")
    (run_id,) = store.runs.insert(project.id, [Run(name=f"long{batch}", username="e")])
    rows = _rows()
    for offset in range(0, LINES, batch):
        store.history.write_history(run_id, rows[offset : offset + batch], offset)
    return run_id


def _by_key(series: list[Series]) -> dict[str, Series]:
    return {found.key: found for found in series}


def test_long_history_keeps_every_spike_in_bounded_points(store: Store) -> None:
    run_id = _logged(store, batch=LINES)
    charts = _by_key(stream_series(store.history, run_id, HISTORY))
    loss, acc = charts["loss"], charts["acc"]
    assert loss.total == LINES - len(NAN_LINES)
    assert acc.total == len(range(0, LINES, 3))
    assert len(loss.xs) <= 2 * BUCKETS and loss.xs == sorted(loss.xs)
    points = set(zip(loss.xs, loss.ys, strict=True))
    assert {(line, value) for line, value in SPIKES.items()} <= points
    assert not any(math.isnan(y) for y in loss.ys)
    assert (min(acc.ys), max(acc.ys)) == (0.0, (LINES - 1) // 3 * 3 / LINES)


def test_extremes_kept_while_logging_equal_those_of_one_write(store: Store) -> None:
    streamed = _logged(store, batch=700)  # chunks filled over several writes
    whole = _logged(store, batch=LINES)
    assert stream_series(store.history, streamed, HISTORY) == stream_series(
        store.history, whole, HISTORY
    )


def test_chunks_without_extremes_are_decoded_instead(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        run_id = _logged(store, batch=LINES)
        expected = stream_series(store.history, run_id, HISTORY)
    # A file from before the extremes existed: no column, upgrades stopped at version 2.
    conn = sqlite3.connect(tmp_path / "emulator.sqlite3")
    conn.executescript("ALTER TABLE history DROP COLUMN extremes; PRAGMA user_version = 2;")
    conn.close()
    with Store(tmp_path) as upgraded:
        assert upgraded.db.integer("SELECT COUNT(extremes) FROM history") == 0
        assert stream_series(upgraded.history, run_id, HISTORY) == expected
        # The next write of a full chunk keeps its extremes again.
        rows = _rows()[:EXTREME_BLOCK]
        upgraded.history.write_history(run_id, rows, 0)
        assert upgraded.db.integer("SELECT COUNT(extremes) FROM history") == 1


def test_a_chunk_keeps_only_finite_numbers_on_lines_with_a_step() -> None:
    values = [3, 2.5, 10**400, "x", True, math.nan, -math.inf, None, 7.0, 1.0]
    rows = [{"_step": line, "m": value} for line, value in enumerate(values)]
    del rows[8]["_step"]  # 7.0 is on a line a chart cannot place
    chunk = Chunk.encode(rows, [1] * 8 + [2] + [1])
    (extremes,) = chunk.extremes().values()
    assert (extremes.count, list(extremes.slots), list(extremes.values)) == (
        3,
        [0, 9],
        [3.0, 1.0],
    )
