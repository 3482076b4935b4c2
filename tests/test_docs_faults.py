"""Every Python snippet of ``docs/faults.md`` runs, as ``tests/test_readme.py`` runs the
README's (here in one pytest run: each snippet is a test module of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_readme import SNIPPET

PAGE = Path(__file__).resolve().parents[1] / "docs" / "faults.md"
RECIPES = ("retries", "outage", "upserts", "disabled")


def test_the_recipes_run(pytester: pytest.Pytester) -> None:
    snippets = SNIPPET.findall(PAGE.read_text())
    assert [kind for kind, _ in snippets] == ["pytest"] * len(RECIPES)
    # Numbered so that they run in the page's order.
    pytester.makepyfile(**{
        f"test_{number}_{name}": code
        for number, (name, (_, code)) in enumerate(zip(RECIPES, snippets, strict=True))
    })
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(RECIPES))
