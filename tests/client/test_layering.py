"""The client's modules form layers, like httpx's: each imports only from its own layer or
the ones below, and no import cycle exists.

Every import counts, also those under ``if TYPE_CHECKING:`` and inside functions: a cycle
hidden from the interpreter still ties the modules together for the reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import client

PACKAGE = Path(client.__file__).parent

#: The layer of each module of ``client`` (the package itself is ``__init__``).
LAYERS: dict[str, int] = {
    # What everything may use: errors, small pure helpers.
    "errors": 0,
    "_html": 0,
    "_urls": 0,
    "_lines": 0,
    "_graphql": 1,
    "_paths": 1,
    "_optional": 1,
    "_references": 1,
    # The GraphQL session (and what "a run" is to the layers below Run), optional readers.
    "_session": 2,
    "_parquet": 2,
    # The one paginator of GraphQL connections; records.
    "_paginator": 3,
    "_organizations": 3,
    "users": 3,
    "teams": 3,
    "registry_members": 4,
    "viewer": 3,
    "summary": 3,
    # What a run (or a project) has, typed against the session's RunLike.
    "files": 4,
    "history_scan": 4,
    "artifact_lists": 4,
    "history": 5,
    "artifacts": 5,
    "run_writes": 5,
    "_artifact_upload": 6,
    "artifact_collections": 6,
    "run": 7,
    "runs": 8,
    "projects": 8,
    "sweeps": 8,
    "registries": 8,
    "api": 9,
    "__init__": 10,
}


def _imports(path: Path) -> set[str]:
    """The ``client`` modules that the module at ``path`` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] != "client":
                continue
            module = parts[1] if len(parts) > 1 else "__init__"
            if module in LAYERS or module == "__init__":
                found.add(module)
    return found - {path.stem}


def _graph() -> dict[str, set[str]]:
    return {path.stem: _imports(path) for path in sorted(PACKAGE.glob("*.py"))}


def test_every_module_has_a_layer() -> None:
    assert sorted(_graph()) == sorted(LAYERS)


def test_no_module_imports_one_above_it() -> None:
    upward = [
        f"{module} (layer {LAYERS[module]}) imports {target} (layer {LAYERS[target]})"
        for module, targets in _graph().items()
        for target in sorted(targets)
        if LAYERS[target] > LAYERS[module]
    ]
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail, module]))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in graph:
        visit(module, [])


def test_the_reader_sees_every_kind_of_import(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import client.errors\n"
        "from client import api\n"
        "if TYPE_CHECKING:\n    from client.run import Run\n"
        "def late():\n    from client._paths import parse_run_path\n",
        encoding="utf-8",
    )
    assert _imports(source) == {"errors", "__init__", "api", "run", "_paths"}
