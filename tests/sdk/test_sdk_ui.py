"""The web UI opens the run ``url`` the SDK prints, and shows the run's values as text."""

from __future__ import annotations

from collections.abc import Callable
from subprocess import CompletedProcess
from typing import Any

from client import Api
from fixtures.handle import EmulatorHandle

MARKUP = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def test_the_printed_run_url_opens_the_run_and_no_value_runs_as_script(
    run_script: Callable[..., CompletedProcess],
    wandb_env: EmulatorHandle,
    page: Any,
    wandb_api: Api,
) -> None:
    url = run_script("hostile_run.py", "--project", "ui").stdout.strip().splitlines()[-1]
    assert url.startswith(wandb_env.url + "/")
    response = page.goto(url)
    assert response.status == 200
    assert page.evaluate("window.pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator("h1").inner_text().startswith(MARKUP)
    assert MARKUP in page.locator("#config").inner_text()
    assert MARKUP in page.locator("#logs").inner_text()
    assert "<script>tag</script>" in page.locator("#overview").inner_text()
    assert (
        page.locator("#charts figure.chart[data-metric=loss] polyline")
        .get_attribute("points")
        .count(",")
        == 5
    )
    # Our client's run URL is the same page.
    (run,) = wandb_api.runs(f"{wandb_env.entity}/ui")
    assert run.url == url
    page.goto(f"{wandb_env.url}/{wandb_env.entity}/ui")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#runs tbody tr").count() == 1
