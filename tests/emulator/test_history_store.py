"""The history store: line offsets, chunk boundaries, key metadata, selection and sampling."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.store import Run, Store
from emulator.store.history import EVENTS, HISTORY
from emulator.store.history_chunks import CHUNK_LINES


@pytest.fixture
def run_id(store: Store) -> int:
    project = store.projects.ensure_project("team", "proj")
    (run_id,) = store.runs.insert(project.id, [Run(name="run1", username="team")])
    return run_id


def _rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    rows = []
    for step in range(start, start + count):
        row: dict[str, Any] = {"_step": step, "_runtime": step / 2, "loss": 1.0 / (step + 1)}
        if step % 10 == 9:
            row["val/loss"] = 2.0 / (step + 1)
        rows.append(row)
    return rows


def test_rows_round_trip_across_chunks(store: Store, run_id: int) -> None:
    rows = _rows(CHUNK_LINES * 2 + 5)
    rows[3]["nested"] = {"a": [1, 2, {"b": None}], "c": "text"}
    rows[4]["flag"] = True
    assert store.history.write_history(run_id, rows) == len(rows)
    assert store.history.history_rows(run_id) == rows
    stored = store.runs.by_id(run_id)
    assert stored is not None and stored.history_line_count == len(rows)


def test_resent_offsets_overwrite_and_appends_continue(store: Store, run_id: int) -> None:
    rows = _rows(CHUNK_LINES + 10)
    for offset in range(0, len(rows), 7):
        store.history.write_history(run_id, rows[offset : offset + 7], offset)
    # A retry re-sends lines that straddle a chunk boundary.
    resent = rows[CHUNK_LINES - 3 : CHUNK_LINES + 4]
    assert store.history.write_history(run_id, resent, CHUNK_LINES - 3) == len(rows)
    assert store.history.history_rows(run_id) == rows
    assert store.history.history_keys(run_id)["keys"]["loss"]["typeCounts"] == [
        {"type": "number", "count": len(rows)}
    ]


def test_overwriting_a_line_updates_counts_and_last_step(store: Store, run_id: int) -> None:
    store.history.write_history(run_id, _rows(5))
    store.history.write_history(run_id, [{"_step": 2, "loss": "nan?"}], 4)
    keys = store.history.history_keys(run_id)
    assert keys["lastStep"] == 3
    assert keys["keys"]["loss"]["typeCounts"] == [
        {"type": "number", "count": 4},
        {"type": "string", "count": 1},
    ]
    assert keys["keys"]["_runtime"]["typeCounts"] == [{"type": "number", "count": 4}]


def test_a_gap_in_offsets_leaves_no_rows(store: Store, run_id: int) -> None:
    assert store.history.write_history(run_id, [{"_step": 0}]) == 1
    assert store.history.write_history(run_id, [{"_step": 5}], 3000) == 3001
    assert store.history.history_rows(run_id) == [{"_step": 0}, {"_step": 5}]
    assert store.history.info(run_id).line_count == 3001


def test_negative_offset_is_refused(store: Store, run_id: int) -> None:
    with pytest.raises(ValueError, match="offset"):
        store.history.write_history(run_id, [{"_step": 0}], -1)


def test_history_keys_report_types_and_media(store: Store, run_id: int) -> None:
    table = {"_type": "table-file", "path": "media/t.json"}
    store.history.write_history(
        run_id,
        [
            {"_step": 0, "loss": 1, "img": table, "note": None, "tags": ["a"]},
            {"_step": 1.0, "loss": 0.5, "cfg": {"depth": 2}, "ok": False},
        ],
    )
    keys = store.history.history_keys(run_id)
    assert keys["lastStep"] == 1
    counts = {key: info["typeCounts"] for key, info in keys["keys"].items()}
    assert counts["loss"] == [{"type": "number", "count": 2}]
    assert counts["img"] == [{"type": "table-file", "count": 1}]
    assert counts["cfg"] == [{"type": "map", "count": 1}]
    assert counts["cfg.depth"] == [{"type": "number", "count": 1}]
    assert counts["note"] == [{"type": "nil", "count": 1}]
    assert counts["tags"] == [{"type": "list", "count": 1}]
    assert counts["ok"] == [{"type": "boolean", "count": 1}]
    latest = {key: info["previousValue"] for key, info in keys["keys"].items()}
    assert latest["loss"] == 0.5
    assert latest["cfg.depth"] == 2
    assert latest["img"] == table


def test_empty_run_has_no_last_step(store: Store, run_id: int) -> None:
    assert store.history.history_keys(run_id) == {"lastStep": -1, "keys": {}}
    assert store.history.history_rows(run_id) == []


def test_select_by_step_range_and_keys(store: Store, run_id: int) -> None:
    store.history.write_history(run_id, _rows(3000))
    history = store.history
    page = history.select(run_id, min_step=1020, max_step=1030)
    assert [row["_step"] for row in page.rows()] == list(range(1020, 1030))
    validated = history.select(run_id, keys=["val/loss"], min_step=1000, max_step=1100)
    assert [row["_step"] for row in validated.rows()] == list(range(1009, 1100, 10))
    assert len(history.select(run_id, keys=["val/loss", "nope"])) == 0
    assert len(history.select(run_id, min_step=50, max_step=10)) == 0


def test_rows_without_a_step_are_left_out_of_step_ranges(store: Store, run_id: int) -> None:
    store.history.write_history(run_id, [{"_step": 0}, {"loss": 1.0}, {"_step": "x"}])
    assert len(store.history.select(run_id)) == 3
    assert [row for row in store.history.select(run_id, min_step=0).rows()] == [{"_step": 0}]


def test_sampling_is_deterministic_keeps_ends_and_spreads(store: Store, run_id: int) -> None:
    store.history.write_history(run_id, _rows(2500))
    selection = store.history.select(run_id)
    steps = [row["_step"] for row in selection.sample(6).rows()]
    assert steps == [0, 499, 999, 1499, 1999, 2499]
    assert steps == [row["_step"] for row in selection.sample(6).rows()]
    assert [row["_step"] for row in selection.sample(1).rows()] == [2499]
    assert len(selection.sample(10_000)) == 2500
    validated = store.history.select(run_id, keys=["val/loss"]).sample(3)
    assert [row["_step"] for row in validated.rows()] == [9, 1249, 2499]


def test_events_are_a_separate_stream(store: Store, run_id: int) -> None:
    events = [{"_wandb": True, "_runtime": 15.0 * i, "system.cpu": 10.0 + i} for i in range(4)]
    assert store.history.write_events(run_id, events) == 4
    assert store.history.event_rows(run_id) == events
    assert store.history.history_rows(run_id) == []
    assert store.history.info(run_id, EVENTS).line_count == 4
    assert store.history.info(run_id, HISTORY).line_count == 0
    stored = store.runs.by_id(run_id)
    assert stored is not None and stored.events_line_count == 4


def test_snapshots_carry_history(store: Store, run_id: int) -> None:
    rows = _rows(1500)
    store.history.write_history(run_id, rows)
    snapshot = json.loads(json.dumps(store.export()))
    with Store() as copy:
        copy.load(snapshot)
        assert copy.history.history_rows(run_id) == rows
        assert copy.history.history_keys(run_id) == store.history.history_keys(run_id)


def test_snapshot_with_bad_base64_is_refused(store: Store, run_id: int) -> None:
    store.history.write_history(run_id, _rows(3))
    snapshot = store.export()
    snapshot["history"][0]["data"] = {"base64": "not base64!"}
    with pytest.raises(ValueError):
        store.load(snapshot)
    assert store.history.history_rows(run_id) == _rows(3)


def test_deleting_a_run_deletes_its_history(store: Store, run_id: int) -> None:
    store.history.write_history(run_id, _rows(3))
    store.history.write_events(run_id, [{"_runtime": 1.0}])
    assert store.delete_run(run_id)
    snapshot = store.export()
    assert snapshot["history"] == [] and snapshot["history_streams"] == []


def test_rewriting_a_whole_chunk_replaces_it(store: Store, run_id: int) -> None:
    rows = _rows(CHUNK_LINES * 2)
    store.history.write_history(run_id, rows)
    replacement = [{"_step": row["_step"], "acc": 0.5} for row in rows[CHUNK_LINES:]]
    store.history.write_history(run_id, replacement, CHUNK_LINES)
    assert store.history.history_rows(run_id) == rows[:CHUNK_LINES] + replacement
    assert store.history.history_keys(run_id)["keys"]["acc"]["typeCounts"] == [
        {"type": "number", "count": CHUNK_LINES}
    ]
    assert store.history.history_keys(run_id)["keys"]["loss"]["typeCounts"] == [
        {"type": "number", "count": CHUNK_LINES}
    ]


def test_values_keep_their_types(store: Store, run_id: int) -> None:
    rows = [
        {"_step": 0, "x": 1, "big": 2**70, "flag": True, "nan": float("nan"), "empty": {}},
        {"_step": 1, "x": 1.5, "big": 3, "flag": False, "nan": float("-inf"), "empty": {}},
        {"_step": 2, "x": "text", "big": -(2**64), "flag": None, "nan": -0.0, "empty": {}},
        {},
        {"_step": 4.0, "x": [1, {"a": None}]},
    ]
    store.history.write_history(run_id, rows)
    stored = store.history.history_rows(run_id)
    assert [json.dumps(row) for row in stored] == [json.dumps(row) for row in rows]
    assert [[type(value) for value in row.values()] for row in stored] == [
        [type(value) for value in row.values()] for row in rows
    ]
    keys = store.history.history_keys(run_id)["keys"]
    counts = {key: info["typeCounts"] for key, info in keys.items()}
    assert counts["x"] == [
        {"type": "list", "count": 1},
        {"type": "number", "count": 2},
        {"type": "string", "count": 1},
    ]
    assert counts["flag"] == [{"type": "boolean", "count": 2}, {"type": "nil", "count": 1}]
    assert store.history.history_keys(run_id)["lastStep"] == 4


def test_tail_reads_the_last_lines(store: Store, run_id: int) -> None:
    rows = _rows(CHUNK_LINES + 3)
    store.history.write_history(run_id, rows)
    assert store.history.tail(run_id, HISTORY, 10) == rows[-10:]
    assert store.history.tail(run_id, HISTORY, 2000) == rows
    assert store.history.tail(run_id, EVENTS, 5) == []
    assert store.history.tail(run_id, HISTORY, 0) == []


def test_many_key_sets_in_one_chunk(store: Store, run_id: int) -> None:
    rows = [{"_step": step, f"metric_{step % 20}": step * 0.5} for step in range(200)]
    store.history.write_history(run_id, rows)
    store.history.write_history(run_id, [{"_step": 50, "other": "x"}], 50)
    rows[50] = {"_step": 50, "other": "x"}
    assert store.history.history_rows(run_id) == rows
    picked = store.history.select(run_id, keys=["metric_7"], min_step=0, max_step=100)
    assert [row["_step"] for row in picked.rows()] == [7, 27, 47, 67, 87]
    assert len(store.history.history_keys(run_id)["keys"]) == 22
