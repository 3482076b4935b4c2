"""``wandb-emulator serve --port 0`` from this clone, in a subprocess, for the matrix."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_URL = re.compile(r"serving (http://127\.0\.0\.1:\d+)")
_START_TIMEOUT_S = 60


def _copy(stream: IO[str], log: Path, urls: queue.Queue[str | None]) -> None:
    """Copy the server's output to ``log``; hand the first URL (or None at EOF) to ``urls``."""
    found = False
    with log.open("w") as sink:
        for line in stream:
            sink.write(line)
            sink.flush()
            match = _URL.search(line)
            if match and not found:
                found = True
                urls.put(match.group(1))
    if not found:
        urls.put(None)


@contextmanager
def emulator(log: Path) -> Iterator[str]:
    """Start the emulator on a free loopback port; yield its base URL; stop it after."""
    with subprocess.Popen(
        [sys.executable, "-u", "-m", "emulator", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        urls: queue.Queue[str | None] = queue.Queue()
        copier = threading.Thread(target=_copy, args=(process.stdout, log, urls), daemon=True)
        copier.start()
        try:
            url = urls.get(timeout=_START_TIMEOUT_S)
            if url is None:
                raise RuntimeError(f"the emulator did not start; see {log}")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
            copier.join(timeout=10)
