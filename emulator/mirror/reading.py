"""What a mirror reads from the source server, through the W&B public API (``client``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from client import Api, Run
from emulator.mirror.options import MirrorOptions


@dataclass
class RunCopy:
    """One source run with everything the options keep of it."""

    name: str
    attributes: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes of file contents."""
        return sum(len(data) for data in self.files.values())


def run_attributes(run: Run) -> dict[str, Any]:
    """The stored attributes of ``run`` (see :class:`emulator.store.Run`)."""
    user = run.user
    return {
        "display_name": run.display_name,
        "state": run.state,
        "config": {key: {"value": value, "desc": None} for key, value in run.rawconfig.items()},
        "summary_metrics": dict(run.summary_metrics),
        "system_metrics": dict(run.system_metrics),
        "tags": list(run.tags or []),
        "group": run.group,
        "job_type": run.job_type,
        "notes": run.notes,
        "description": run.description,
        "commit": run.commit,
        "sweep_name": run.sweep_name,
        "username": user.username if user is not None else "",
        "created_at": run.created_at or "",
        "heartbeat_at": run.heartbeat_at,
    }


def read_run(run: Run, options: MirrorOptions) -> RunCopy:
    """Fetch ``run``'s attributes, history, system metrics and files as ``options`` say."""
    copy = RunCopy(run.id, run_attributes(run))
    history = options.history
    if history.mode == "all":
        copy.history = _logged(run.scan_history(page_size=1000))
        copy.events = _logged(run.history(stream="system", pandas=False, samples=100_000))
    elif history.mode == "sampled":
        copy.history = _logged(run.history(samples=history.samples, pandas=False))
        copy.events = _logged(run.history(stream="system", pandas=False, samples=history.samples))
    if options.files != "none":
        for file in run.files():
            if file.size is not None and options.keeps_file(file.size):
                copy.files[file.name] = file.read()
    return copy


def _logged(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without the ``None`` cells a read over parquet gives keys a row did not log."""
    return [{key: value for key, value in row.items() if value is not None} for row in rows]


def source_runs(api: Api, path: str, options: MirrorOptions) -> list[Run]:
    """The runs of project ``path`` to mirror, in the source's order (oldest first)."""
    runs = api.runs(path, filters=options.filters or None, order="+created_at", per_page=100)
    chosen: list[Run] = []
    for run in runs:
        if options.runs is not None and len(chosen) >= options.runs:
            break
        chosen.append(run)
    return chosen
