"""Virtual environments per release, cached outside the clone so a fresh clone reuses them."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from compat.releases import Release

_STAMP = ".compat-requirements"


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/wandb-emulator/compat`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wandb-emulator" / "compat"


def _fingerprint(release: Release) -> str:
    """What makes a cached venv reusable: its requirements and the interpreter's version."""
    text = "\n".join((sys.version, *release.requirements))
    return hashlib.sha256(text.encode()).hexdigest()


def python_of(venv: Path) -> Path:
    """The interpreter of ``venv``."""
    return venv / "bin" / "python"


def ensure_venv(release: Release, root: Path | None = None) -> Path:
    """The venv for ``release``, built on first use and reused while its stamp matches.

    A venv whose stamp is missing or stale (an interrupted build, changed pins) is
    rebuilt from scratch. Returns the venv directory.
    """
    venv = (root or cache_root()) / release.version
    venv.parent.mkdir(parents=True, exist_ok=True)
    # Another matrix run on this machine (a CI clone) may be building the same venv.
    with open(venv.parent / f"{release.version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build(release, venv)
    return venv


def _build(release: Release, venv: Path) -> None:
    stamp = venv / _STAMP
    wanted = _fingerprint(release)
    if stamp.is_file() and stamp.read_text() == wanted and python_of(venv).is_file():
        return
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [
            str(python_of(venv)),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *release.requirements,
        ],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0:
        raise RuntimeError(f"cannot install {release.requirements}:\n{install.stderr}")
    stamp.write_text(wanted)
