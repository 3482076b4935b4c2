"""The server-side sweep controller: config validation, grid and random search of our own,
bayes and hyperband through the optional ``sweeps`` engine."""

from emulator.sweeps.config import SweepConfigError, expected_run_count, parse, validate
from emulator.sweeps.controller import SweepController

__all__ = ["SweepConfigError", "SweepController", "expected_run_count", "parse", "validate"]
