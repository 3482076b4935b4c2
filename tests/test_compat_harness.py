"""The compatibility matrix's own logic: which release is the minimum, how the table reads,
which pins a release gets. (The matrix itself runs under ``make test-compat``.)"""

from __future__ import annotations

from typing import Any

import pytest

from compat import report
from compat.releases import RELEASES, release


def _result(version: str, **outcomes: dict[str, Any]) -> dict[str, Any]:
    return {"version": version, "results": outcomes}


OK = {"ok": True}
FAILED = {"ok": False, "detail": "CommError: boom"}


def test_minimum_is_the_oldest_of_the_passing_newest_releases() -> None:
    results = [
        _result("0.1.0", log=OK, verify=OK),
        _result("0.2.0", log=FAILED, verify=OK),
        _result("0.3.0", log=OK, verify=OK),
        _result("0.4.0", log=OK, verify=OK),
    ]
    # 0.1.0 passes too, but 0.2.0 between them does not: support is the unbroken tail.
    assert report.minimum(results) == "0.3.0"
    assert report.minimum(results[:2]) == "none"


def test_the_table_marks_failures_with_their_reasons() -> None:
    page = report.render(
        [_result("0.2.0", log=FAILED, verify=OK), _result("0.3.0", log=OK, verify=OK)],
        ["log", "verify", "media"],
    )
    assert "**Minimum supported release: 0.3.0**" in page
    assert "| 0.2.0 | **no** | yes | n/a |" in page
    assert "| 0.3.0 | yes | yes | n/a |" in page
    assert "- 0.2.0, log: `CommError: boom`" in page


def test_releases_get_the_media_pins_of_their_time() -> None:
    assert release("0.31.0") in RELEASES
    assert release("0.16.6").requirements == ("wandb==0.16.6", "numpy==1.26.4", "pillow==10.4.0")
    assert release("0.30.0").requirements[1] == "numpy==2.2.6"
    with pytest.raises(ValueError, match="not a wandb release version"):
        release("latest")


def test_the_readme_table_is_replaced_between_its_markers_only() -> None:
    readme = (
        f"# Title\n\nbefore\n\n{report.README_START}\nold table\n{report.README_END}\n\nafter\n"
    )
    results = [_result("0.1.0", log=FAILED), _result("0.2.0", log=OK)]
    written = report.with_readme_table(readme, results, ["log"])

    assert written.startswith("# Title\n\nbefore\n\n") and written.endswith("\n\nafter\n")
    assert "old table" not in written
    assert "Oldest release passing everything: 0.2.0." in written
    assert "| 0.1.0 | **no** |" in written and "| 0.2.0 | yes |" in written
    assert report.with_readme_table(written, results, ["log"]) == written
