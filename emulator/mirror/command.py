"""``wandb-emulator mirror ENTITY/PROJECT --from URL ...``: capture a project into a snapshot.

With ``-o snapshot.json`` the mirror works in ``snapshot.json.partial/`` (a store on disk)
and writes the snapshot only once everything arrived, then removes that folder; an
interrupted mirror leaves the folder, and the same command continues from it. With
``--data-dir DIR`` it writes straight into that store.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from emulator.mirror.options import HistoryFidelity, MirrorOptionError, MirrorOptions

if TYPE_CHECKING:
    from emulator.mirror.project import MirrorReport
    from emulator.store import Store

_OPTIONS_FILE = "mirror-options.json"


def add_parser(commands: Any) -> None:
    """Add the ``mirror`` command to the CLI's subparsers."""
    mirror = commands.add_parser(
        "mirror", help="copy a project from a W&B-compatible server into a snapshot"
    )
    mirror.add_argument("path", metavar="ENTITY/PROJECT")
    mirror.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="URL",
        help="the server's base URL, e.g. https://api.wandb.ai",
    )
    mirror.add_argument("--api-key", required=True, help="an API key the source accepts")
    mirror.add_argument("--runs", type=int, default=None, help="keep only the first N runs")
    mirror.add_argument("--filters", default="{}", help="a W&B run filter (JSON)")
    mirror.add_argument("--history", default="all", help="all, sampled:N or none")
    mirror.add_argument(
        "--files",
        default="small",
        choices=("none", "small", "all"),
        help="run files to keep (small: up to 1 MiB each; default small)",
    )
    mirror.add_argument("--artifacts", default="all", choices=("none", "metadata", "all"))
    mirror.add_argument(
        "--anonymize",
        action="store_true",
        help="replace user names, hosts, run names, notes and file paths",
    )
    mirror.add_argument("--anonymize-seed", type=int, default=0)
    mirror.add_argument("--workers", type=int, default=4, help="runs read at once")
    target = mirror.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="snapshot file to write")
    target.add_argument("--data-dir", type=Path, help="store to write into")


def options_from(args: argparse.Namespace) -> MirrorOptions:
    """The :class:`MirrorOptions` of parsed arguments; ``SystemExit`` naming a bad one."""
    try:
        filters = json.loads(args.filters)
        return MirrorOptions(
            runs=args.runs,
            filters=filters,
            history=HistoryFidelity.parse(args.history),
            files=args.files,
            artifacts=args.artifacts,
            anonymize=args.anonymize,
            seed=args.anonymize_seed,
        )
    except json.JSONDecodeError as error:
        raise SystemExit(f"wandb-emulator mirror: --filters is not JSON: {error}") from None
    except MirrorOptionError as error:
        raise SystemExit(f"wandb-emulator mirror: {error}") from None


def run(args: argparse.Namespace) -> None:
    """Carry out ``wandb-emulator mirror``."""
    # Imported here: ``serve`` never needs the client.
    from client import Api
    from emulator.mirror.project import MirrorError, mirror_project
    from emulator.store import Store

    options = options_from(args)
    work_dir = args.data_dir or args.output.with_name(args.output.name + ".partial")
    _claim(work_dir, options, resumable=args.data_dir is None)
    progress = _Progress(sys.stderr)
    with Store(work_dir) as store, Api(base_url=args.source, api_key=args.api_key) as api:
        try:
            report = mirror_project(
                api, args.path, store, options, workers=args.workers, progress=progress
            )
        except MirrorError as error:
            progress.done()
            where = f"; run the same command again to continue from {work_dir}"
            raise SystemExit(f"wandb-emulator mirror: {error}{where}") from None
        progress.done()
        if args.output is not None:
            _write_snapshot(store, args.output)
    if args.output is not None:
        shutil.rmtree(work_dir)
    print(_summary(report, args.output or args.data_dir))


def _claim(work_dir: Path, options: MirrorOptions, *, resumable: bool) -> None:
    """Record the options in ``work_dir``; refuse to continue a mirror made with others."""
    work_dir.mkdir(parents=True, exist_ok=True)
    if not resumable:
        return
    recorded = work_dir / _OPTIONS_FILE
    if recorded.exists() and recorded.read_text() != options.to_json():
        raise SystemExit(
            f"wandb-emulator mirror: {work_dir} holds an interrupted mirror made with other"
            " options; rerun it with the same options, or remove the folder"
        )
    recorded.write_text(options.to_json())


def _write_snapshot(store: Store, output: Path) -> None:
    """Write the snapshot whole or not at all (a temporary file renamed into place)."""
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_text(json.dumps(store.export()))
    os.replace(temporary, output)


def _summary(report: MirrorReport, where: Path) -> str:
    lines = [
        f"Mirrored {report.runs_total} runs ({report.runs_kept} from an earlier attempt),"
        f" {report.history_rows} history rows, {report.artifact_versions} artifact versions,"
        f" {report.bytes} bytes of files into {where}."
    ]
    if report.replaced:
        replaced = ", ".join(f"{count} {kind}s" for kind, count in report.replaced.items())
        lines.append(f"Anonymized: {replaced}.")
    return "\n".join(lines)


class _Progress:
    """Runs, rows and bytes so far: one line redrawn on a terminal, nothing elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()

    def __call__(self, report: MirrorReport) -> None:
        if self._live:
            self._stream.write(
                f"\rruns {report.runs_kept + report.runs_written}/{report.runs_total}"
                f"  rows {report.history_rows}  bytes {report.bytes}"
                f"  artifact versions {report.artifact_versions}"
            )
            self._stream.flush()

    def done(self) -> None:
        if self._live:
            self._stream.write("\n")
