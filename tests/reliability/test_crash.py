"""``kill -9`` the server while real SDK processes log, restart it on the same port and
data directory: the SDK retries, and every step of every run is stored exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from client import Api
from emulator.settings import DEFAULT_API_KEY
from tests.reliability.harness import ServeProcess, arrival, start_logger

STEPS = 3000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServeProcess]:
    serve = ServeProcess(tmp_path / "data").start()
    yield serve
    serve.stop()


def _history_lines(api: Api, project: str, run_id: str) -> int:
    try:
        run = api.run(f"soak/{project}/{run_id}")
    except Exception:  # not created yet
        return 0
    return run.history_line_count or 0


def test_a_crash_mid_run_loses_no_step(server: ServeProcess, tmp_path: Path) -> None:
    loggers = [
        start_logger(
            server.url, "crash", f"crash{i:03d}", STEPS, tmp_path / "runs", "--pause-every", "100"
        )
        for i in range(3)
    ]
    # Crash once every run has something stored but none has finished.
    for logger in loggers:
        assert logger.readline().strip() == "started"
        assert logger.readline().startswith("step 0")
    with Api(base_url=server.url, api_key=DEFAULT_API_KEY) as api:
        stored = [_history_lines(api, "crash", logger.run_id) for logger in loggers]
    server.kill()
    server.start()

    for logger in loggers:
        assert logger.wait(timeout=300) == 0, logger.stderr
    with Api(base_url=server.url, api_key=DEFAULT_API_KEY) as api:
        assert arrival(api, "crash", loggers).problems == []
    assert min(stored) < STEPS  # the crash did land mid-run


def test_a_crash_during_an_artifact_upload_loses_nothing(
    server: ServeProcess, tmp_path: Path
) -> None:
    logger = start_logger(
        server.url, "upload", "upload01", 50, tmp_path / "runs", "--artifact-mb", "24"
    )
    while (line := logger.readline()) and line.strip() != "uploading artifact":
        pass
    server.kill()
    server.start()

    assert logger.wait(timeout=300) == 0, logger.stderr
    with Api(base_url=server.url, api_key=DEFAULT_API_KEY) as api:
        assert arrival(api, "upload", [logger]).problems == []
        artifact = api.artifact("soak/upload/model-upload01:latest")
        assert artifact.state == "COMMITTED" and artifact.size == 24 * 1024 * 1024
        [entry] = list(artifact.files())
        assert entry.size == 24 * 1024 * 1024
