"""``python -m compat``: run the scenario suite under every release in the matrix.

One emulator from this clone serves all releases; each release runs in its own cached
venv (see :mod:`compat.venvs`), two at a time by default. Writes the table to
``docs/compatibility.md`` when the whole matrix ran; exits 1 if any capability failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from compat import report
from compat.releases import RELEASES, Release, release
from compat.server import emulator
from compat.venvs import cache_root, ensure_venv, python_of

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = Path(__file__).resolve().parent / "scenarios.py"
DOC = ROOT / "docs" / "compatibility.md"
README = ROOT / "README.md"
API_KEY = "wandbemulator" + "0" * 27
ENTITY = "emulator"
SUITE_TIMEOUT_S = 900


def _environment(url: str, home: Path) -> dict[str, str]:
    """The suite's environment: the emulator, a private home, nothing reaching outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WANDB_")}
    env.update(
        {
            "WANDB_BASE_URL": url,
            "WANDB_API_KEY": API_KEY,
            "WANDB_ENTITY": ENTITY,
            "WANDB_CONFIG_DIR": str(home / "config"),
            "WANDB_CACHE_DIR": str(home / "cache"),
            "WANDB_DATA_DIR": str(home / "data"),
            "WANDB_DIR": str(home),
            # No update check against the package index, no error reports, no git probing.
            "WANDB__DISABLE_UPDATE_CHECK": "true",
            "WANDB_X_DISABLE_UPDATE_CHECK": "true",
            "WANDB_ERROR_REPORTING": "false",
            "WANDB_DISABLE_GIT": "true",
            "WANDB_DISABLE_CODE": "true",
            "WANDB_CONSOLE": "wrap",
        }
    )
    env.pop("PYTHONPATH", None)
    for name in ("config", "cache", "data"):
        (home / name).mkdir(parents=True, exist_ok=True)
    return env


def _run_release(entry: Release, url: str, work: Path) -> dict[str, Any]:
    """Build or reuse the venv, run the suite in it, return its report with timings."""
    started = time.monotonic()
    venv = ensure_venv(entry)
    built = time.monotonic()
    home = work / entry.version
    home.mkdir(parents=True, exist_ok=True)
    out = home / "result.json"
    with (home / "suite.log").open("w") as log:
        done = subprocess.run(
            [str(python_of(venv)), str(SCENARIOS), "suite", str(out)],
            env=_environment(url, home),
            cwd=home,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=SUITE_TIMEOUT_S,
        )
    if out.is_file():
        result: dict[str, Any] = json.loads(out.read_text())
    else:
        detail = f"the suite crashed (exit {done.returncode}); see {home / 'suite.log'}"
        result = {"version": entry.version, "results": {"suite": {"ok": False, "detail": detail}}}
    result["venv_seconds"] = round(built - started, 1)
    result["suite_seconds"] = round(time.monotonic() - built, 1)
    return result


def _capabilities(results: list[dict[str, Any]]) -> list[str]:
    """Every capability any release reported, in the suite's order."""
    return list(dict.fromkeys(name for result in results for name in result["results"]))


def _summary(result: dict[str, Any]) -> str:
    outcomes = result["results"]
    bad = [name for name, o in outcomes.items() if not o["ok"]]
    verdict = "FAILED: " + ", ".join(bad) if bad else "ok"
    return (
        f"wandb {result['version']:<8} venv {result['venv_seconds']:>5}s  "
        f"suite {result['suite_seconds']:>5}s  {verdict}"
    )


def _new_work_dir(runs: Path, keep: int = 3) -> Path:
    """A fresh directory for this run's logs; only the newest ``keep`` runs are kept."""
    runs.mkdir(parents=True, exist_ok=True)
    for old in sorted(runs.iterdir())[: -keep + 1]:
        shutil.rmtree(old, ignore_errors=True)
    work = runs / time.strftime("%Y%m%dT%H%M%S")
    work.mkdir()
    return work


def main(argv: list[str] | None = None) -> int:
    """Run the matrix (or ``--release`` ones); print a summary; write the doc if complete."""
    parser = argparse.ArgumentParser(prog="python -m compat", description=__doc__)
    parser.add_argument(
        "--release",
        action="append",
        default=[],
        help="run only this version (repeatable; releases outside the matrix work too)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="releases run at a time")
    args = parser.parse_args(argv)
    entries = [release(v) for v in args.release] if args.release else list(RELEASES)
    work = _new_work_dir(cache_root() / "runs")
    started = time.monotonic()
    with emulator(work / "emulator.log") as url, ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda entry: _run_release(entry, url, work), entries))
    for result in results:
        print(_summary(result))
    print(f"matrix: {len(results)} releases in {time.monotonic() - started:.0f}s; logs in {work}")
    if not args.release:
        DOC.parent.mkdir(exist_ok=True)
        capabilities = _capabilities(results)
        DOC.write_text(report.render(results, capabilities))
        README.write_text(report.with_readme_table(README.read_text(), results, capabilities))
        print(f"wrote {DOC.relative_to(ROOT)} and the table in {README.relative_to(ROOT)}")
    passed = sum(report.passes(result) for result in results)
    print(f"compat: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
