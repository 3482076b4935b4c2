"""Soak: many real ``wandb.init()`` processes log while readers page, filter, scan and
download, against one ``wandb-emulator serve --data-dir``.

Every logged step and file must arrive exactly once, no request may answer 5xx, and the
server's memory must level off. ``make test`` runs a short version; ``make soak`` the full
one (32 loggers x 5,000 steps, 8 readers), which prints p50/p99 latency per operation, the
memory curve and the online/offline time ratio, and writes them to
``bench-results/soak-<size>.json``. The loggers run at a lower scheduling priority than the
server (see :data:`tests.reliability.harness.LOGGER_NICENESS`), as training jobs on
machines of their own would leave it the CPU.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from client import Api
from client.errors import CommError, NotFoundError
from emulator.settings import DEFAULT_API_KEY
from tests.reliability.harness import Logger, ServeProcess, arrival, start_logger


@dataclass(frozen=True)
class Size:
    loggers: int
    steps: int
    readers: int


SIZES = {"short": Size(loggers=4, steps=400, readers=2), "full": Size(32, 5000, 8)}
SIZE_NAME = os.environ.get("WANDB_EMULATOR_SOAK", "short")
PROJECT = "soak"


class Readers:
    """Threads that read while the loggers write, timing each operation."""

    def __init__(self, url: str, run_ids: list[str], count: int) -> None:
        self.url, self.run_ids = url, run_ids
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter[int | None] = Counter()
        self.failures: list[str] = []  # requests that got no answer, as the client saw them
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._read, args=(seed,), daemon=True) for seed in range(count)
        ]

    def _operations(self, api: Api, rnd: random.Random) -> list[tuple[str, Callable[[], object]]]:
        run_id = rnd.choice(self.run_ids)
        path = f"soak/{PROJECT}/{run_id}"
        return [
            ("page runs", lambda: [run.name for run in api.runs(f"soak/{PROJECT}", per_page=10)]),
            ("filter runs", lambda: len(api.runs(f"soak/{PROJECT}", {"config.run": run_id}))),
            ("scan history", lambda: sum(1 for _ in api.run(path).scan_history(keys=["loss"]))),
            ("download file", lambda: [f.read() for f in list(api.run(path).files())[:1]]),
        ]

    def _read(self, seed: int) -> None:
        rnd = random.Random(seed)
        with Api(base_url=self.url, api_key=DEFAULT_API_KEY, max_retries=0, timeout=60) as api:
            while not self.stop.is_set():
                for name, operation in self._operations(api, rnd):
                    start = time.perf_counter()
                    try:
                        operation()
                        self.statuses[200] += 1
                    except NotFoundError:  # before the loggers created it
                        self.statuses[404] += 1
                    except CommError as error:
                        self.statuses[error.status] += 1
                        if error.status is None:
                            self.failures.append(f"{name}: {error}")
                    self.latencies[name].append(time.perf_counter() - start)

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


class MemorySampler(threading.Thread):
    """The server's resident memory twice a second."""

    def __init__(self, server: ServeProcess) -> None:
        super().__init__(daemon=True)
        self.server, self.samples, self.done = server, [], threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.samples.append(self.server.rss_bytes())

    def levels_off(self) -> bool:
        """Whether the last quarter of the run grew at most 10 % (or 32 MiB) over the third,
        once the server has loaded what it loads once (the GraphQL stack, pyarrow, caches)."""
        quarter = max(1, len(self.samples) // 4)
        third = max(self.samples[2 * quarter : 3 * quarter] or self.samples)
        last = max(self.samples[-quarter:])
        return last <= max(third * 1.10, third + 32 * 2**20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServeProcess]:
    serve = ServeProcess(tmp_path / "data").start()
    yield serve
    serve.stop()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def test_loggers_and_readers_together(
    server: ServeProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = SIZES[SIZE_NAME]
    run_ids = [f"soak{i:04d}" for i in range(size.loggers)]
    memory = MemorySampler(server)
    memory.start()
    with Readers(server.url, run_ids, size.readers) as readers:
        loggers: list[Logger] = [
            start_logger(server.url, PROJECT, run_id, size.steps, tmp_path / "runs")
            for run_id in run_ids
        ]
        offline = start_logger(
            server.url, PROJECT, "offline0", size.steps, tmp_path / "runs", offline=True
        )
        codes = {logger.run_id: logger.wait(timeout=1800) for logger in [*loggers, offline]}
    memory.done.set()
    memory.join()

    assert all(code == 0 for code in codes.values()), [lg.stderr for lg in loggers if lg.stderr]
    with Api(base_url=server.url, api_key=DEFAULT_API_KEY) as api:
        arrived = arrival(api, PROJECT, loggers)
    assert arrived.problems == []
    server_errors = {s: n for s, n in readers.statuses.items() if s is not None and s >= 500}
    assert server_errors == {}
    assert readers.failures == []  # no request failed without an answer
    if SIZE_NAME == "full":  # a short run ends before the server's caches have filled
        assert memory.levels_off(), str([round(rss / 2**20) for rss in memory.samples])

    report = {
        "size": SIZE_NAME,
        "loggers": size.loggers,
        "steps": size.steps,
        "readers": size.readers,
        "steps_sent": size.loggers * size.steps,
        "steps_stored": arrived.steps_stored,
        "responses": dict(sorted((str(k), v) for k, v in readers.statuses.items())),
        "latency_ms": {
            name: {
                "n": len(values),
                "p50": round(1000 * _percentile(values, 0.5), 1),
                "p99": round(1000 * _percentile(values, 0.99), 1),
            }
            for name, values in sorted(readers.latencies.items())
        },
        "memory_mib": {
            "start": round(memory.samples[0] / 2**20),
            "peak": round(max(memory.samples) / 2**20),
            "end": round(memory.samples[-1] / 2**20),
        },
        "online_offline_ratio": round(
            statistics.mean(lg.seconds for lg in loggers) / offline.seconds, 2
        ),
    }
    results = Path("bench-results")
    results.mkdir(exist_ok=True)
    (results / f"soak-{SIZE_NAME}.json").write_text(json.dumps(report, indent=2))
    with capsys.disabled():
        print(f"\nsoak ({SIZE_NAME}):", json.dumps(report, indent=2))
