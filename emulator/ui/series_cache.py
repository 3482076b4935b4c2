"""The chart series and charts of recently viewed runs, kept per app so that viewing a long
run again costs no history read.

An entry is keyed by the store part, the run, the stream and what the store knows of the
stream without reading it: its write ``version`` (which every write bumps), line count
and last step. A run that logs more is read afresh and a finished run is read once; a
restored store has new parts, and a cleared one restarts versions, which the run's name
and creation time in the key tell apart.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from emulator.store.history import HistoryStore
from emulator.store.records import Run
from emulator.ui.charts import Chart, build_chart
from emulator.ui.series import X_KEYS, Series, stream_series

#: Streams kept: a run page holds two (history and system metrics).
CAPACITY = 64


@dataclass(frozen=True)
class StreamCharts:
    """A stream's series (for comparisons) and one chart per series (for the run page)."""

    series: list[Series]
    charts: list[Chart]


class SeriesCache:
    """A small thread-safe LRU of the :class:`StreamCharts` of runs' streams."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[tuple[Any, ...], StreamCharts] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, history: HistoryStore, run: Run, stream: str) -> StreamCharts:
        """The series and charts of ``run``'s ``stream``, read from the store when not kept."""
        info = history.info(run.id, stream)
        key = (
            history,
            run.id,
            run.name,
            run.created_at,
            stream,
            info.version,
            info.line_count,
            info.last_step,
        )
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        series = stream_series(history, run.id, stream)
        found = StreamCharts(
            series, [build_chart(each.key, X_KEYS[stream], [(each.key, each)]) for each in series]
        )
        with self._lock:
            self._entries[key] = found
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        return found

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
