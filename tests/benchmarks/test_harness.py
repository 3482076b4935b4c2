"""The pieces of the benchmark harness: rows, targets, formatting, sizes, the command line."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main
from benchmarks.harness import Baseline, Row, above, below, measure, not_available
from benchmarks.report import format_rate, format_seconds, table
from benchmarks.sizes import PRESETS


def test_measure_calls_setup_fn_and_teardown_each_time() -> None:
    calls: list[str] = []
    samples = measure(
        lambda state: calls.append(f"fn{state}"),
        3,
        setup=lambda: len(calls),
        teardown=lambda state: calls.append("down"),
    )
    assert len(samples) == 3 and all(sample >= 0 for sample in samples)
    assert len(samples.cpu) == 3
    assert Row("B0", "w", "s", samples).cpu_median == sorted(samples.cpu)[1]
    assert calls == ["fn0", "down", "fn2", "down", "fn4", "down"]


def test_row_derives_median_throughput_ratio_and_status() -> None:
    row = Row(
        "B0",
        "work",
        "10 items",
        [2.0, 1.0, 4.0],
        count=10,
        count_unit="items",
        baseline=Baseline("direct", [0.5]),
        target=(below(3.0, "< 3 s"),),
    )
    assert row.median == 2.0
    assert row.throughput == 5.0
    assert row.ratio == 4.0
    assert row.status == "ok"
    assert Row("B0", "w", "s", [2.0], count=10, target=(above(10, "> 10/s"),)).status == "MISS"
    ratio_target = (below(3, "ratio < 3", metric="ratio"),)
    assert (
        Row("B0", "w", "s", [2.0], baseline=Baseline("b", [1.0]), target=ratio_target).status
        == "ok"
    )
    assert Row("B0", "w", "s", [2.0]).status == "-"


def test_rows_for_missing_features_and_errors() -> None:
    missing = not_available("B6", "scan", "1 run", "no scan_history", target=(below(1, "<1"),))
    assert missing.status == "n/a"
    assert "feature not available: no scan_history" in table([missing])
    assert Row("B1", "w", "-", error="RuntimeError: boom").status == "ERROR"
    assert missing.to_json()["median"] is None


def test_formatting() -> None:
    assert format_seconds(0.00042) == "0.42 ms"
    assert format_seconds(0.123) == "123 ms"
    assert format_seconds(1.234) == "1.23 s"
    assert format_rate(1_050_000, "rows") == "1.05M rows/s"
    assert format_rate(12_345, "runs") == "12.3k runs/s"
    assert format_rate(None, "runs") == "-"


def test_sizes_overrides_and_repeat() -> None:
    sizes = PRESETS["quick"].with_overrides(["list_runs=2_000"]).with_repeat(2)
    assert sizes.list_runs == 2000
    assert sizes.list_repeat == sizes.seed_repeat == 2
    with pytest.raises(ValueError, match="unknown size 'nope'"):
        PRESETS["full"].with_overrides(["nope=1"])
    with pytest.raises(ValueError, match="needs an integer"):
        PRESETS["full"].with_overrides(["list_runs=many"])


def test_list_and_bad_selection(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    assert "B9" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="unknown workloads"):
        main(["--only", "B42"])
