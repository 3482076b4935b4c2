"""What every workload receives: the sizes to use and a scratch directory."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.sizes import Sizes


@dataclass(frozen=True)
class Context:
    """Sizes of this invocation, its preset's name, and a scratch directory it owns."""

    sizes: Sizes
    preset: str
    workdir: Path

    def scratch(self, prefix: str) -> Path:
        """A new empty directory under the work directory."""
        return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=self.workdir))
