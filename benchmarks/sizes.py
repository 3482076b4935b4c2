"""How big each workload is and how often it is repeated: presets and overrides.

``full`` holds the sizes the targets are defined for; ``quick`` finishes in under a
minute; ``tiny`` only proves that every workload still runs (the smoke test).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Sizes:
    """Every size and repetition count of the suite."""

    startup_repeat: int = 10
    isolation_runs: int = 10
    isolation_steps: int = 100
    isolation_repeat: int = 30
    seed_runs: int = 1000
    seed_steps: int = 1000
    seed_repeat: int = 3
    list_runs: int = 10_000
    list_repeat: int = 3
    filter_runs: int = 100_000
    filter_repeat: int = 7
    scan_steps: int = 100_000
    scan_repeat: int = 3
    samples: int = 500
    sample_repeat: int = 7
    histories_runs: int = 100
    histories_steps: int = 1000
    log_steps: int = 10_000
    log_repeat: int = 3
    memory_runs: int = 1000
    memory_steps: int = 1000
    ui_runs: int = 100_000
    ui_steps: int = 1_000_000
    ui_repeat: int = 7

    def with_repeat(self, times: int) -> Sizes:
        """The same sizes with every ``*_repeat`` set to ``times``."""
        return replace(self, **{f.name: times for f in fields(self) if f.name.endswith("_repeat")})

    def with_overrides(self, assignments: list[str]) -> Sizes:
        """Apply ``name=value`` assignments; ``ValueError`` names an unknown or bad one."""
        known = {f.name for f in fields(self)}
        changes = {}
        for assignment in assignments:
            name, _, value = assignment.partition("=")
            if name not in known:
                raise ValueError(f"unknown size {name!r}; known: {', '.join(sorted(known))}")
            try:
                changes[name] = int(value.replace("_", ""))
            except ValueError:
                raise ValueError(f"size {name!r} needs an integer, got {value!r}") from None
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


PRESETS: dict[str, Sizes] = {
    "full": Sizes(),
    "quick": Sizes(
        startup_repeat=2,
        isolation_repeat=5,
        seed_runs=20,
        seed_repeat=1,
        list_runs=1000,
        list_repeat=1,
        filter_runs=2000,
        filter_repeat=2,
        scan_steps=10_000,
        scan_repeat=1,
        sample_repeat=2,
        histories_runs=10,
        histories_steps=500,
        log_steps=1000,
        log_repeat=1,
        memory_runs=20,
        ui_runs=2000,
        ui_steps=20_000,
        ui_repeat=2,
    ),
    "tiny": Sizes(
        startup_repeat=1,
        isolation_runs=2,
        isolation_steps=10,
        isolation_repeat=2,
        seed_runs=3,
        seed_steps=20,
        seed_repeat=1,
        list_runs=30,
        list_repeat=1,
        filter_runs=60,
        filter_repeat=1,
        scan_steps=200,
        scan_repeat=1,
        samples=50,
        sample_repeat=1,
        histories_runs=3,
        histories_steps=20,
        log_steps=10,
        log_repeat=1,
        memory_runs=3,
        memory_steps=20,
        ui_runs=30,
        ui_steps=200,
        ui_repeat=1,
    ),
}
