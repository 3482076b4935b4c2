"""The docs point at things that exist: links between the Markdown files, and the
repository paths they name.

``mkdocs build --strict`` (``make docs``) checks the links inside ``docs/``; the files
outside the site (README, CONTRIBUTING, CHANGELOG, the benchmarks' README) are checked
here, and so is every path in backticks, such as ``emulator/store/filters.py``, in any
of them, so a renamed module cannot leave the docs pointing at nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE_THE_SITE = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md", "benchmarks/README.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: A path in backticks that starts at a top-level folder, or at one of the emulator's.
CODE_PATH = re.compile(
    r"`((?:emulator|client|fixtures|tests|benchmarks|docs|endpoints|resolvers|schema|store)"
    r"/[\w./*-]*)`"
)


def _docs() -> list[str]:
    pages = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").glob("*.md"))
    return [*OUTSIDE_THE_SITE, *pages]


def _exists(path: str) -> bool:
    """Whether ``path`` names files of the repository, from its root or from ``emulator/``."""
    return any(any(base.glob(path)) for base in (ROOT, ROOT / "emulator"))


@pytest.mark.parametrize("name", OUTSIDE_THE_SITE)
def test_relative_links_reach_a_file(name: str) -> None:
    path = ROOT / name
    targets = [link.split("#")[0] for link in LINK.findall(path.read_text())]
    local = [target for target in targets if target and "://" not in target]
    missing = [target for target in local if not (path.parent / target).exists()]
    assert not missing, f"{name} links to missing files: {missing}"


@pytest.mark.parametrize("name", _docs())
def test_named_paths_exist(name: str) -> None:
    named = CODE_PATH.findall((ROOT / name).read_text())
    missing = sorted({path for path in named if not _exists(path.rstrip("/"))})
    assert not missing, f"{name} names paths that do not exist: {missing}"
