"""Bayes search and hyperband early termination through W&B's open-source engine.

The ``sweeps`` package (``pip install 'wandb-emulator[sweeps]'``) pins ``numpy<2`` and
pulls scipy and scikit-learn, so it is an optional extra, imported only when a sweep needs
it. Without it such sweeps are refused with an error naming the extra.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from emulator.sweeps.config import SweepConfigError

EXTRA_HINT = "pip install 'wandb-emulator[sweeps]'"

#: Warnings sweeps 0.3.0 emits on import under pydantic 2 (its v1-style model config);
#: exactly these are silenced, so suites that turn warnings into errors can import it.
_IMPORT_WARNINGS = (
    (UserWarning, r"Valid config keys have changed in V2"),
    (DeprecationWarning, r"Support for class-based `config` is deprecated"),
)


@dataclass(frozen=True)
class RunView:
    """What the engine needs to know about one run of the sweep."""

    name: str
    state: str
    config: Mapping[str, Any]
    summary: Mapping[str, Any]
    history: Sequence[Mapping[str, Any]] = field(default_factory=list)


def load() -> ModuleType:
    """The ``sweeps`` module; a :class:`SweepConfigError` naming the extra when missing."""
    try:
        with warnings.catch_warnings():
            for category, message in _IMPORT_WARNINGS:
                warnings.filterwarnings("ignore", message=message, category=category)
            import sweeps
    except ImportError:
        raise SweepConfigError(
            "bayes search and hyperband early termination need the optional sweeps "
            f"engine: {EXTRA_HINT}"
        ) from None
    module: ModuleType = sweeps
    return module


def _sweep_runs(engine: ModuleType, runs: Sequence[RunView]) -> list[Any]:
    known = {state.value for state in engine.RunState}
    return [
        engine.SweepRun(
            name=run.name,
            state=engine.RunState(run.state if run.state in known else "finished"),
            config={key: dict(value) for key, value in run.config.items()},
            summary_metrics=dict(run.summary),
            history=list(run.history),
        )
        for run in runs
    ]


def _plain(value: Any) -> Any:
    """numpy scalars (which the engine returns) as plain Python values."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.item() if hasattr(value, "item") else value


def next_params(config: Mapping[str, Any], runs: Sequence[RunView]) -> dict[str, Any] | None:
    """The engine's next suggestion (``None`` when it has none), as plain values."""
    engine = load()
    suggestion = engine.next_run(dict(config), _sweep_runs(engine, runs), validate=False)
    if suggestion is None:
        return None
    return {name: _plain(spec["value"]) for name, spec in suggestion.config.items()}


def runs_to_stop(config: Mapping[str, Any], runs: Sequence[RunView]) -> list[str]:
    """Names of the running runs hyperband says to stop."""
    engine = load()
    return [run.name for run in engine.stop_runs(dict(config), _sweep_runs(engine, runs))]
