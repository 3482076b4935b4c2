"""``docs/compatibility.md``: the releases x capabilities table of the last matrix run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Result = Mapping[str, Any]

_HEADER = """# Compatibility with wandb releases

Users pin old `wandb` releases for years, so every change to the emulator runs a matrix
(`make test-compat`, also run by CI after `make test`): for each release below, a virtual
environment with that release (and the numpy/pillow its media need, never the emulator)
runs a compact real-SDK scenario suite (`compat/scenarios.py`) against one
`wandb-emulator serve` started from the clone. The environments are cached by version in
`${{XDG_CACHE_HOME:-~/.cache}}/wandb-emulator/compat`, so only the first run installs
anything; `python -m compat --release 0.25.1` runs one release.

This page is written by the last full run; do not edit it by hand.

**Minimum supported release: {minimum}** (the oldest release of the matrix that passes
everything; older releases are not run in CI: try one with `python -m compat --release
0.16.6`).

"""

_LEGEND = """
- *init/log/finish*: `wandb.init()` with config, tags, notes, group and job type; `log()`,
  `summary`, `wandb.save()`, console output; `finish()`.
- *resume*: `wandb.init(id=..., resume="must")` continues the history.
- *runs listing*: `Api.runs()` with `order` (`created_at`, `summary_metrics.*`) and
  `filters` (config, tags).
- *history*: `run.history()` sampled and in full; *scan_history*: paged `scan_history()`
  and a keyed one. (Releases before wandb-core page a keyed scan with an exclusive
  `maxStep` where W&B reads it inclusive, so with a `page_size` smaller than the run their
  pages overlap by a row; they do on W&B too.)
- *files*: `run.files()`, `File.download()`, the console's `output.log`.
- *media*: `wandb.Image`, `wandb.Table`, `wandb.Histogram` and a `wandb.plot.line` chart,
  logged and read back from summary, history and their files.
- *artifacts*: `log_artifact`, `Api.artifact()`, `download()`; *lineage*: `logged_by`,
  `used_by`, `logged_artifacts`, `used_artifacts`.
- *updates*: `run.summary.update()`, config and tags, `run.update()`.
- *wandb verify*: the SDK's own server self-test exits 0 (its https and CORS lines warn).
"""


def passes(result: Result) -> bool:
    """Whether a release passed every capability."""
    return all(o["ok"] for o in result["results"].values())


def minimum(results: Sequence[Result]) -> str:
    """The oldest release of an unbroken passing tail of the matrix (``none`` if none)."""
    passing = "none"
    for result in reversed(results):
        if not passes(result):
            break
        passing = result["version"]
    return passing


#: Where the README's copy of the table starts and ends.
README_START = "<!-- compat-table: written by make test-compat -->"
README_END = "<!-- /compat-table -->"


def render(results: Sequence[Result], capabilities: Sequence[str]) -> str:
    """The Markdown page for ``results`` (oldest release first)."""
    return "\n".join(
        [_HEADER.format(minimum=minimum(results)), *table(results, capabilities), _LEGEND]
    )


def with_readme_table(readme: str, results: Sequence[Result], capabilities: Sequence[str]) -> str:
    """``readme`` with the table between its markers replaced by this run's."""
    start, end = readme.index(README_START), readme.index(README_END)
    block = [
        README_START,
        f"Oldest release passing everything: {minimum(results)}.",
        "",
        *table(results, capabilities),
        "",
        "",
    ]
    return readme[:start] + "\n".join(block) + readme[end:]


def table(results: Sequence[Result], capabilities: Sequence[str]) -> list[str]:
    """The table's lines, then the failures as measured."""
    lines = ["| release | " + " | ".join(capabilities) + " |"]
    lines.append("|---" * (len(capabilities) + 1) + "|")
    failures: list[str] = []
    for result in results:
        cells = []
        for capability in capabilities:
            outcome = result["results"].get(capability)
            if outcome is None:
                cells.append("n/a")
            elif outcome["ok"]:
                cells.append("yes")
            else:
                cells.append("**no**")
                failures.append(f"- {result['version']}, {capability}: `{outcome['detail']}`")
        lines.append(f"| {result['version']} | " + " | ".join(cells) + " |")
    if failures:
        lines += ["", "Failures, as measured:", "", *failures]
    return lines
