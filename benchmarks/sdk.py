"""The real ``wandb`` SDK pointed at an emulator, as the pytest plugin's ``wandb_env`` does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.data import API_KEY, ENTITY

_CLEARED = ("WANDB_MODE", "WANDB_DISABLED", "WANDB_OFFLINE", "WANDB_SILENT_MODE")
_DIRS = ("DIR", "CACHE_DIR", "CONFIG_DIR", "DATA_DIR", "ARTIFACT_DIR")


def sdk_environment(url: str | None, home: Path) -> dict[str, str]:
    """Environment variables that point the SDK at ``url`` with its files under ``home``."""
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    env.update(
        {
            "WANDB_API_KEY": API_KEY,
            "WANDB_ENTITY": ENTITY,
            "WANDB_SILENT": "true",
            "WANDB_CONSOLE": "off",
            "WANDB_DISABLE_GIT": "true",
            "WANDB_DISABLE_CODE": "true",
        }
    )
    if url is not None:
        env["WANDB_BASE_URL"] = url
    for name in _DIRS:
        env[f"WANDB_{name}"] = str(home / name.lower())
    return env


@contextmanager
def sdk_env(url: str, home: Path) -> Iterator[None]:
    """Set :func:`sdk_environment` in this process for the duration of the block."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(sdk_environment(url, home))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def sdk_api() -> Any:
    """``wandb.Api()`` configured from the environment (see :func:`sdk_env`)."""
    import wandb

    return wandb.Api(timeout=60)
