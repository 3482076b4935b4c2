"""Fixtures for tests that drive the real ``wandb`` SDK over loopback."""

from __future__ import annotations

import pytest
import wandb

from fixtures.handle import EmulatorHandle


@pytest.fixture
def sdk(wandb_env: EmulatorHandle) -> wandb.Api:
    """The unmodified SDK's public API, pointed at this test's emulator."""
    return wandb.Api(timeout=15)
