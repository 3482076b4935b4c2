"""Servers in subprocesses: start them, wait for ``/healthz``, read their peak memory."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

_URL_LINE = re.compile(r"WANDB_BASE_URL=(\S+)")


def cli_command() -> list[str]:
    """The ``wandb-emulator`` console script of this environment (``-m emulator`` if absent)."""
    script = Path(sys.executable).parent / "wandb-emulator"
    if script.exists():
        return [str(script)]
    found = shutil.which("wandb-emulator")
    return [found] if found else [sys.executable, "-m", "emulator"]


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether ``GET url`` answers 200 right now."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_until_healthy(
    url: str, process: subprocess.Popen[bytes], *, timeout: float, poll: float = 0.002
) -> None:
    """Poll ``url + /healthz`` until it answers; ``RuntimeError`` if the process dies first."""
    deadline = time.monotonic() + timeout
    while not answers(f"{url}/healthz"):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not answer {url}/healthz within {timeout:.0f} s")
        time.sleep(poll)


def _read_url(log: Path, process: subprocess.Popen[bytes], timeout: float) -> str:
    """The base URL the CLI prints once its socket is bound."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = _URL_LINE.search(log.read_text(errors="replace")) if log.exists() else None
        if match:
            return match.group(1)
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"server exited with code {process.returncode}: {tail}")
        time.sleep(0.002)
    raise RuntimeError(f"server printed no URL within {timeout:.0f} s")


def emulator_command(*args: str) -> list[str]:
    """``wandb-emulator serve`` on a free loopback port, with extra ``args``."""
    return [*cli_command(), "serve", "--host", "127.0.0.1", "--port", "0", *args]


@contextmanager
def server_process(
    command: Sequence[str],
    log: Path,
    *,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run a server that prints ``WANDB_BASE_URL=<url>`` until ``/healthz`` answers.

    Yields ``(url, process)``; the process is interrupted when the block ends.
    """
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command),
            stdout=output,
            stderr=subprocess.STDOUT,
            env=None if env is None else dict(env),
        )
    try:
        url = _read_url(log, process, timeout)
        wait_until_healthy(url, process, timeout=timeout)
        yield url, process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupt a server like Ctrl-C would, killing it if it does not exit promptly."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (``VmHWM``) of a live process, in MB (10^6 bytes)."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no VmHWM in /proc/{pid}/status")
    return int(match.group(1)) * 1024 / 1e6


def has_proc() -> bool:
    """Whether this system exposes ``/proc/<pid>/status`` (Linux)."""
    return Path(f"/proc/{os.getpid()}/status").exists()
