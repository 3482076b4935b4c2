"""Every Python snippet in the README runs, the way a reader would run it.

A snippet is preceded by an HTML comment naming how it runs:
``<!-- snippet: pytest -->`` (a test module, run with the plugin) or
``<!-- snippet: script -->`` (a script run against ``make run``'s demo data).
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from fixtures.handle import EmulatorHandle

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: The README and every docs page, whose snippets all run.
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
SNIPPET = re.compile(r"<!-- snippet: (\w+) -->\n```python\n(.*?)```", re.DOTALL)


def _snippets(kind: str) -> list[str]:
    return [
        code
        for document in DOCUMENTS
        for found, code in SNIPPET.findall(document.read_text())
        if found == kind
    ]


def test_the_readme_has_snippets_of_each_kind() -> None:
    assert _snippets("pytest") and _snippets("script")


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
