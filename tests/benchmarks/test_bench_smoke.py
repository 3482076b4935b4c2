"""The benchmark suite still runs: every workload at tiny sizes, table and JSON in shape.

Timings are never asserted here; only that each workload produced its rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import WORKLOADS
from benchmarks.report import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
ROW_KEYS = {
    "id",
    "workload",
    "size",
    "unit",
    "samples",
    "median",
    "cpu_samples",
    "cpu_median",
    "count",
    "count_unit",
    "throughput",
    "baseline",
    "ratio",
    "target",
    "status",
    "note",
    "error",
}
STATUSES = {"ok", "MISS", "-", "n/a"}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    output = tmp_path_factory.mktemp("bench") / "tiny.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "tiny", "--json", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout, json.loads(output.read_text())


def test_every_workload_reports_rows_without_errors(tiny_run: tuple[str, dict]) -> None:
    _, document = tiny_run
    rows = document["rows"]
    assert {row["id"] for row in rows} == set(WORKLOADS)
    for row in rows:
        assert set(row) == ROW_KEYS
        assert row["status"] in STATUSES, row
        if row["status"] != "n/a":
            assert row["median"] is not None and row["samples"], row
        if row["baseline"] is not None:
            assert row["baseline"]["median"] is not None, row


def test_json_names_the_machine_and_sizes(tiny_run: tuple[str, dict]) -> None:
    _, document = tiny_run
    assert document["preset"] == "tiny"
    assert {"cpu", "cores", "python", "sqlite", "packages"} <= set(document["machine"])
    assert document["sizes"]["list_runs"] > 0


def test_the_printed_table_has_a_line_per_row(tiny_run: tuple[str, dict]) -> None:
    stdout, document = tiny_run
    header = "| " + " | ".join(COLUMNS) + " |"
    assert header in stdout
    lines = stdout[stdout.index(header) :].splitlines()
    table_rows = [line for line in lines[2:] if line.startswith("| B")]
    assert len(table_rows) == len(document["rows"])
    assert all(line.count("|") == len(COLUMNS) + 1 for line in table_rows)
