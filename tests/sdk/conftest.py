"""Fixtures for tests that drive the real ``wandb`` SDK over loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest
import wandb

from emulator import EmulatorServer, Settings, Store, create_app
from fixtures.handle import EmulatorHandle


@pytest.fixture
def sdk(wandb_env: EmulatorHandle) -> wandb.Api:
    """The unmodified SDK's public API, pointed at this test's emulator."""
    return wandb.Api(timeout=15)


@pytest.fixture(scope="module")
def strict_server() -> Iterator[EmulatorServer]:
    """An emulator in strict mode for the tests of one module (each empties its store)."""
    store = Store()
    with EmulatorServer(create_app(store, settings=Settings(auth="strict"))) as server:
        yield server
    store.close()


SCRIPTS = Path(__file__).parent / "scripts"


def script_command(name: str, *args: object) -> list[str]:
    """The command line running ``scripts/<name>`` with ``args``."""
    return [sys.executable, str(SCRIPTS / name), *map(str, args)]


def script_env() -> dict[str, str]:
    """This process's environment (``wandb_env`` set it up) for a script subprocess.

    ``wandb.Api()`` in this process publishes its wandb-core service in
    ``WANDB_SERVICE``; a script must start its own, as a real training process would.
    """
    return {key: value for key, value in os.environ.items() if key != "WANDB_SERVICE"}


@pytest.fixture
def run_script(wandb_env: EmulatorHandle, tmp_path: Path) -> Callable[..., CompletedProcess]:
    """Run ``scripts/<name>`` with arguments in a subprocess pointed at the emulator.

    The subprocess exits only after ``finish()`` (or its exit hook) has flushed
    everything to the emulator, so tests can assert right after it returns.
    """

    def run(name: str, *args: object, check: bool = True) -> CompletedProcess:
        done = subprocess.run(
            script_command(name, *args),
            cwd=tmp_path,
            env=script_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{name} exited with {done.returncode}:\n{done.stderr}")
        return done

    return run
