"""A real ``wandb-emulator serve --data-dir`` process and real SDK loggers against it.

Everything listens on 127.0.0.1 and every loop is bounded in count and time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from client import Api
from emulator.settings import DEFAULT_API_KEY
from tests.reliability.scripts.logger import weights

LOGGER = Path(__file__).parent / "scripts" / "logger.py"


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeProcess:
    """``wandb-emulator serve`` on a fixed port and data directory, restartable."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        """Start the server and return once it listens (it says so on stdout)."""
        log = self.data_dir.with_name(self.data_dir.name + "-serve.log")
        with log.open("a") as stderr:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "emulator",
                    "serve",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(self.data_dir),
                ],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if "serving" not in first:
            self.process.wait(timeout=10)
            raise RuntimeError(f"serve did not start: {first}{log.read_text()[-2000:]}")
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a crash."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=10)

    def stop(self) -> None:
        """Terminate the server (killing it if it does not stop)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss_bytes(self) -> int:
        """The server's resident memory now."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024


@dataclass
class Logger:
    """One ``scripts/logger.py`` process."""

    run_id: str
    steps: int
    process: subprocess.Popen[str]
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    stderr: str = ""

    def wait(self, timeout: float) -> int:
        """Wait for the process to exit (keeping its stderr); its exit code."""
        _, self.stderr = self.process.communicate(timeout=timeout)
        self.ended = self.ended or time.monotonic()
        return self.process.returncode

    def readline(self) -> str:
        """The next line the logger printed ("" once it exited)."""
        assert self.process.stdout is not None
        return self.process.stdout.readline()

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.started


#: How much lower the loggers' scheduling priority is than the server's.
LOGGER_NICENESS = 10


def start_logger(
    url: str,
    project: str,
    run_id: str,
    steps: int,
    work_dir: Path,
    *extra: str,
    offline: bool = False,
) -> Logger:
    """Start a logger process pointed at ``url`` (or offline), in its own directory."""
    home = work_dir / run_id
    home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("WANDB_")}
    env.update(
        {
            "WANDB_BASE_URL": url,
            "WANDB_API_KEY": DEFAULT_API_KEY,
            "WANDB_ENTITY": "soak",
            "WANDB_DIR": str(home),
            "WANDB_CACHE_DIR": str(home / "cache"),
            "WANDB_CONFIG_DIR": str(home / "config"),
            "WANDB_DATA_DIR": str(home / "data"),
            "WANDB_SILENT": "true",
            "WANDB_MODE": "offline" if offline else "online",
        }
    )
    command = [
        sys.executable,
        str(LOGGER),
        "--project",
        project,
        "--id",
        run_id,
        "--steps",
        str(steps),
        *extra,
    ]
    process = subprocess.Popen(
        command, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # The loggers stand for training jobs, each of which has a machine of its own; on a
    # machine of two cores, dozens of them at full speed would leave the one server they
    # talk to a few per cent of the CPU. At a lower priority (inherited by the SDK's
    # wandb-core process, which starts later) they take what the server leaves.
    os.setpriority(os.PRIO_PROCESS, process.pid, LOGGER_NICENESS)
    return Logger(run_id, steps, process)


@dataclass
class Arrival:
    """What the server stored of the loggers' runs."""

    steps_stored: int = 0
    #: What is not stored exactly as sent (empty when everything arrived once).
    problems: list[str] = field(default_factory=list)


def arrival(api: Api, project: str, loggers: Sequence[Logger]) -> Arrival:
    """Read back every logger's run and compare it with what the logger sent."""
    found = Arrival()
    problems = found.problems
    for logger in loggers:
        run = api.run(f"soak/{project}/{logger.run_id}")
        steps = [row["step_copy"] for row in run.scan_history(keys=["step_copy"])]
        found.steps_stored += len(steps)
        if steps != list(range(logger.steps)):
            problems.append(
                f"{logger.run_id}: {len(steps)} steps stored of {logger.steps},"
                f" {len(set(steps))} distinct"
            )
        if run.state != "finished":
            problems.append(f"{logger.run_id}: state {run.state}")
        if run.summary_metrics.get("final_step") != logger.steps - 1:
            problems.append(f"{logger.run_id}: summary {run.summary_metrics.get('final_step')}")
        files = {f.name: f for f in run.files()}
        if "weights.bin" not in files or files["weights.bin"].read() != weights(logger.run_id):
            problems.append(f"{logger.run_id}: weights.bin missing or different")
    return found
