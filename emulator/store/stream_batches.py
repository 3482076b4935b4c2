"""One file_stream request applied to a run, all or nothing.

A request carries history and events lines, the full summary, console lines,
names of uploaded files and maybe the end of the run. It is applied in one
transaction after its offsets are checked against what is stored, so a bad
request leaves the run exactly as it was.

The run file ``output.log`` is then rewritten from every console line kept so
far (without the SDK's timestamps), so its download shows what the program
printed, all sessions of a resumed run included, even when the SDK never got
to upload it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emulator.store.console import ConsoleStore, strip_prefix
from emulator.store.database import Database
from emulator.store.files import FileStore
from emulator.store.history import HistoryStore
from emulator.store.lifecycle import LifecycleStore
from emulator.store.runs import RunStore
from emulator.store.timestamps import utc_now

#: The run file that holds the console output.
CONSOLE_FILE = "output.log"


class OffsetError(ValueError):
    """An offset past the end of what is stored: lines in between would be missing."""


@dataclass(frozen=True)
class Lines:
    """Consecutive lines of one streamed file, the first at line index ``offset``."""

    offset: int
    content: Sequence[Any]


@dataclass(frozen=True)
class StreamBatch:
    """What one file_stream request reports; ``None``/empty parts are absent."""

    history: Lines | None = None
    events: Lines | None = None
    console: Lines | None = None
    summary: Mapping[str, Any] | None = None
    uploaded: Sequence[str] = field(default_factory=tuple)
    complete: bool = False
    exit_code: int | None = None


def _check_offset(name: str, lines: Lines | None, stored: int) -> None:
    if lines is not None and lines.offset > stored:
        raise OffsetError(
            f"{name}: offset {lines.offset} skips lines; {stored} are stored, so the next"
            f" offset is at most {stored}"
        )


class StreamStore:
    """Applies :class:`StreamBatch` es through the other stores, atomically."""

    def __init__(
        self,
        db: Database,
        *,
        runs: RunStore,
        history: HistoryStore,
        console: ConsoleStore,
        lifecycle: LifecycleStore,
        files: FileStore,
    ) -> None:
        self._db = db
        self._runs = runs
        self._history = history
        self._console = console
        self._lifecycle = lifecycle
        self._files = files

    def apply(self, run_id: int, batch: StreamBatch) -> None:
        """Store ``batch`` for run ``run_id`` and record a heartbeat.

        ``complete`` ends the run (``finished`` for exit code 0, else ``failed``);
        any other request marks it ``running`` again (a resumed or revived run).
        Raises :class:`OffsetError` (storing nothing) for an offset that skips lines,
        ``LookupError`` for an unknown run.
        """
        with self._db.transaction():
            run = self._runs.by_id(run_id)
            if run is None:
                raise LookupError(f"no run with storage id {run_id}")
            _check_offset("wandb-history.jsonl", batch.history, run.history_line_count)
            _check_offset("wandb-events.jsonl", batch.events, run.events_line_count)
            _check_offset("output.log", batch.console, self._console.line_count(run_id))
            if batch.history is not None:
                self._history.write_history(run_id, batch.history.content, batch.history.offset)
            if batch.events is not None:
                self._history.write_events(run_id, batch.events.content, batch.events.offset)
            if batch.console is not None:
                self._console.write(run_id, batch.console.content, batch.console.offset)
            if batch.uploaded:
                self._lifecycle.record_uploaded(run_id, batch.uploaded)
            changes: dict[str, Any] = {"heartbeat_at": utc_now()}
            if batch.summary is not None:
                changes["summary_metrics"] = dict(batch.summary)
            if batch.complete:
                changes["state"] = "finished" if not batch.exit_code else "failed"
                self._lifecycle.set_exit_code(run_id, batch.exit_code)
            elif run.state != "running":
                changes["state"] = "running"
            self._runs.update(run_id, changes)
        # After the commit: the SDK's own output.log upload (at finish) holds only the
        # last session's lines, so the complete console replaces it.
        if batch.console is not None or batch.complete:
            self._write_console_file(run_id)

    def _write_console_file(self, run_id: int) -> None:
        lines = self._console.lines(run_id)
        if lines:
            text = "".join(strip_prefix(line) + "\n" for line in lines)
            self._files.put(run_id, CONSOLE_FILE, text.encode())
