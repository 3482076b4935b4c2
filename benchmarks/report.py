"""The results as one Markdown table (printed, pasted into benchmarks/README.md) and as JSON."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.harness import Row

COLUMNS = (
    "#",
    "workload",
    "size",
    "median",
    "cpu",
    "throughput",
    "baseline",
    "baseline median",
    "ratio",
    "target",
    "status",
)
_PACKAGES = ("wandb", "graphql-core", "ariadne", "starlette", "uvicorn", "httpx")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on: CPU, cores, load, Python, SQLite, key packages."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "load_average": None if load is None else [round(value, 2) for value in load],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {name: _version(name) for name in _PACKAGES},
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def format_seconds(seconds: float) -> str:
    """``0.42 ms``, ``123 ms``, ``1.23 s``: three significant digits or so."""
    if seconds < 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s" if seconds < 100 else f"{seconds:.0f} s"


def format_value(value: float | None, unit: str) -> str:
    """A median in its unit: seconds as :func:`format_seconds`, others as ``12.3 MB``."""
    if value is None:
        return "-"
    if unit == "s":
        return format_seconds(value)
    return f"{value:.3g} {unit}" if value < 1000 else f"{value:.0f} {unit}"


def format_rate(rate: float | None, unit: str) -> str:
    """``850 rows/s``, ``12.3k runs/s``, ``1.05M rows/s``."""
    if rate is None:
        return "-"
    for factor, suffix in ((1e6, "M"), (1e3, "k")):
        if rate >= factor:
            return f"{rate / factor:.3g}{suffix} {unit}/s"
    return f"{rate:.3g} {unit}/s"


def _cells(row: Row) -> list[str]:
    baseline = row.baseline
    ratio = row.ratio
    base_median = "-"
    if baseline is not None:
        base_median = format_value(baseline.median, row.unit)
        if baseline.throughput is not None:
            base_median += f" ({format_rate(baseline.throughput, row.count_unit)})"
    status = row.status
    if row.note and status in ("n/a", "ERROR"):
        status = f"{status}: {row.note if row.error is None else row.error}"
    return [
        row.id,
        row.workload,
        row.size,
        format_value(row.median, row.unit),
        "-" if row.cpu_median is None else format_seconds(row.cpu_median),
        format_rate(row.throughput, row.count_unit),
        "-" if baseline is None else baseline.name,
        base_median,
        "-" if ratio is None else f"{ratio:.2f}x",
        " and ".join(check.label for check in row.target) or "-",
        status,
    ]


def header(info: dict[str, Any], preset: str) -> str:
    """One line naming the machine and the sizes the table was measured with."""
    load = info["load_average"]
    load_text = "" if load is None else f", load {load[0]:.1f}"
    return (
        f"{info['cpu']}, {info['cores']} cores{load_text} | Python {info['python']}"
        f" | SQLite {info['sqlite']} | wandb {info['packages']['wandb']}"
        f" | graphql-core {info['packages']['graphql-core']} | sizes: {preset} | {info['date']}"
    )


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for row in rows:
        cells = [cell.replace("|", "/") for cell in _cells(row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def notes(rows: list[Row]) -> str:
    """The notes of measured rows, one line each (how each number was obtained)."""
    return "\n".join(
        f"- {row.id} {row.workload}: {row.note}"
        for row in rows
        if row.note and row.available and row.error is None
    )


def write_json(
    path: Path, rows: list[Row], info: dict[str, Any], preset: str, sizes: dict[str, Any]
) -> None:
    """Write the machine, the sizes and every row with its samples to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "machine": info,
        "preset": preset,
        "sizes": sizes,
        "rows": [row.to_json() for row in rows],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
