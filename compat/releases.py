"""The wandb releases the compatibility matrix runs, and what each venv installs."""

from __future__ import annotations

from dataclasses import dataclass

# Media (wandb.Image from arrays, wandb.Histogram) needs numpy and pillow. Each release gets
# the versions of its own time: releases before 0.18 predate numpy 2.
_NUMPY_1 = ("numpy==1.26.4", "pillow==10.4.0")
_NUMPY_2 = ("numpy==2.2.6", "pillow==11.3.0")


@dataclass(frozen=True)
class Release:
    """One ``wandb`` release: the newest patch of a minor line."""

    version: str
    media: tuple[str, ...] = _NUMPY_2

    @property
    def requirements(self) -> tuple[str, ...]:
        """What its virtual environment installs: wandb and media dependencies, never us."""
        return (f"wandb=={self.version}", *self.media)


RELEASES: tuple[Release, ...] = (
    Release("0.17.9", _NUMPY_1),
    Release("0.19.11"),
    Release("0.22.3"),
    Release("0.25.1"),
    Release("0.28.2"),
    Release("0.31.0"),
)


def release(version: str) -> Release:
    """The matrix entry for ``version``, or an ad-hoc one for a release outside the matrix
    (with the media pins of its time)."""
    for candidate in RELEASES:
        if candidate.version == version:
            return candidate
    parts = version.split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(f"not a wandb release version: {version!r}")
    major_minor = (int(parts[0]), int(parts[1]))
    return Release(version, _NUMPY_1 if major_minor < (0, 18) else _NUMPY_2)
