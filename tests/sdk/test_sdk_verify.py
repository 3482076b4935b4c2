"""``wandb verify``, the SDK's server self-test for administrators, against ``wandb-emulator
serve`` started as a user would start it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compat.server import emulator
from emulator.settings import DEFAULT_API_KEY

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: verify prints failures in red; its https and CORS lines are yellow warnings.
_RED = "\x1b[31m"


@pytest.fixture(scope="module")
def verify_output(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[subprocess.CompletedProcess]:
    """One ``wandb verify --host`` run against a fresh ``wandb-emulator serve``."""
    home = tmp_path_factory.mktemp("verify")
    env = {key: value for key, value in os.environ.items() if not key.startswith("WANDB_")}
    env.update(
        {
            "WANDB_API_KEY": DEFAULT_API_KEY,
            "WANDB_CONFIG_DIR": str(home / "config"),
            "WANDB_CACHE_DIR": str(home / "cache"),
            "WANDB_DATA_DIR": str(home / "data"),
            "WANDB_X_DISABLE_UPDATE_CHECK": "true",
            "WANDB_ERROR_REPORTING": "false",
        }
    )
    with emulator(home / "emulator.log") as url:
        env["WANDB_BASE_URL"] = url
        yield subprocess.run(
            [str(Path(sys.executable).with_name("wandb")), "verify", "--host", url],
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )


def _failures(done: subprocess.CompletedProcess) -> list[str]:
    return [_ANSI.sub("", line).strip() for line in done.stdout.splitlines() if _RED in line]


def test_wandb_verify_passes_every_check(verify_output: subprocess.CompletedProcess) -> None:
    assert "Checking artifact save and download workflows" in verify_output.stdout
    assert "sweep" in verify_output.stdout.lower()
    assert _failures(verify_output) == []
    assert verify_output.returncode == 0
