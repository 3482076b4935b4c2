"""What a mirror keeps: how much history, which files, how much of each artifact."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FileFidelity = Literal["none", "small", "all"]
ArtifactFidelity = Literal["none", "metadata", "all"]

#: Run files up to this size are kept by ``--files small``.
SMALL_FILE_BYTES = 1024 * 1024


class MirrorOptionError(ValueError):
    """An option value a mirror cannot work with; the message names the option."""


@dataclass(frozen=True)
class HistoryFidelity:
    """``all`` rows, a ``sampled`` number of rows per run, or ``none``."""

    mode: Literal["all", "sampled", "none"] = "all"
    samples: int = 0

    @classmethod
    def parse(cls, text: str) -> HistoryFidelity:
        """``all``, ``none`` or ``sampled:N`` (N >= 2)."""
        if text == "all":
            return cls("all")
        if text == "none":
            return cls("none")
        kind, _, count = text.partition(":")
        if kind == "sampled" and count.isdigit() and int(count) >= 2:
            return cls("sampled", int(count))
        raise MirrorOptionError(f"--history must be all, none or sampled:N (N >= 2), got {text!r}")

    def __str__(self) -> str:
        return f"sampled:{self.samples}" if self.mode == "sampled" else self.mode


@dataclass(frozen=True)
class MirrorOptions:
    """Everything that decides what a mirror of one project contains.

    ``runs`` keeps only the first N runs of the listing (``None``: all); ``filters`` is a
    W&B run filter applied by the source. ``anonymize`` replaces personal values (see
    :mod:`emulator.mirror.anonymize`) with ``seed``'s deterministic Faker values.
    """

    runs: int | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    history: HistoryFidelity = HistoryFidelity()
    files: FileFidelity = "small"
    artifacts: ArtifactFidelity = "all"
    anonymize: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if self.runs is not None and self.runs < 1:
            raise MirrorOptionError(f"--runs must be at least 1, got {self.runs}")
        if self.files not in ("none", "small", "all"):
            raise MirrorOptionError(f"--files must be none, small or all, got {self.files!r}")
        if self.artifacts not in ("none", "metadata", "all"):
            raise MirrorOptionError(
                f"--artifacts must be none, metadata or all, got {self.artifacts!r}"
            )
        if not isinstance(self.filters, dict):
            raise MirrorOptionError("--filters must be a JSON object")

    def keeps_file(self, size: int) -> bool:
        """Whether a run file of ``size`` bytes is mirrored."""
        return self.files == "all" or (self.files == "small" and size <= SMALL_FILE_BYTES)

    def to_json(self) -> str:
        """The options as JSON, to tell whether a resumed mirror asks for the same data."""
        values = asdict(self)
        values["history"] = str(self.history)
        return json.dumps(values, sort_keys=True)
