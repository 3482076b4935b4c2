"""Every Python snippet of the docs runs, the way a reader would run it.

The docs are ``README.md``, every ``docs/*.md`` page and ``benchmarks/README.md``. A
snippet is a ```` ```python ```` fence preceded by an HTML comment naming how it runs:
``<!-- snippet: pytest -->`` (a test module, run with the plugin) or
``<!-- snippet: script -->`` (a script run against ``make run``'s demo data). A fragment
that needs what only a reader has (a snapshot of their own project, say) is marked
``<!-- snippet: illustration -->`` and not run. A Python fence without a marker fails
the test below, so no snippet goes unrun by accident.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from fixtures.handle import EmulatorHandle

ROOT = Path(__file__).resolve().parents[1]
RUN_KINDS = ("pytest", "script")
KINDS = (*RUN_KINDS, "illustration")
SNIPPET = re.compile(r"<!-- snippet: (\w+) -->\n```python\n(.*?)```", re.DOTALL)
PYTHON_FENCE = re.compile(r"^```python$", re.MULTILINE)


def doc_files() -> list[Path]:
    """Every Markdown file whose snippets run: the README, the docs site, the benchmarks."""
    pages = sorted((ROOT / "docs").glob("*.md"))
    return [ROOT / "README.md", *pages, ROOT / "benchmarks" / "README.md"]


def _snippets(kind: str) -> list[pytest.ParameterSet]:
    """The snippets of one kind, each with an id naming its file and its place there."""
    found = []
    for path in doc_files():
        name = path.relative_to(ROOT).as_posix()
        for index, (snippet_kind, code) in enumerate(SNIPPET.findall(path.read_text())):
            if snippet_kind == kind:
                found.append(pytest.param(code, id=f"{name}:{index}"))
    return found


def test_the_readme_has_snippets_of_each_kind() -> None:
    kinds = [kind for kind, _ in SNIPPET.findall((ROOT / "README.md").read_text())]
    assert set(kinds) == set(RUN_KINDS)


@pytest.mark.parametrize("path", doc_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_python_fence_is_a_snippet_of_a_known_kind(path: Path) -> None:
    text = path.read_text()
    kinds = [kind for kind, _ in SNIPPET.findall(text)]
    assert len(kinds) == len(PYTHON_FENCE.findall(text)), (
        f"{path.name}: a ```python fence without <!-- snippet: KIND --> on the line before"
    )
    assert set(kinds) <= set(KINDS), f"{path.name}: unknown snippet kinds {set(kinds) - set(KINDS)}"


@pytest.mark.parametrize("code", _snippets("pytest"))
def test_pytest_snippet(pytester: pytest.Pytester, code: str) -> None:
    pytester.makepyfile(code)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()


@pytest.mark.parametrize("code", _snippets("script"))
def test_script_snippet(wandb_env: EmulatorHandle, code: str, tmp_path: Path) -> None:
    # The same demo data `make run` serves.
    wandb_env.seed(
        entity="demo", project="demo-project", runs=20, steps=200, seed=0, artifacts=True
    )
    script = tmp_path / "snippet.py"
    script.write_text(code)
    runpy.run_path(str(script), run_name="__main__")
