"""The UI in a real browser (Playwright driving Chromium) over the plugin's server.

Each test checks what a user sees against what the API answers; the ``page`` fixture
fails a test on any console error. The tests also take the screenshots in docs/images.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from client import Api
from emulator.store.history import HISTORY
from emulator.ui.series import metric_keys
from fixtures.handle import EmulatorHandle
from tests.emulator.ui.conftest import ENTITY, PROJECT, RUNS, STEPS, screenshot

PATH = f"{ENTITY}/{PROJECT}"


@pytest.fixture
def demo(wandb_emulator: EmulatorHandle) -> EmulatorHandle:
    wandb_emulator.seed(
        entity=ENTITY, project=PROJECT, runs=RUNS, steps=STEPS, seed=0, artifacts=True
    )
    return wandb_emulator


def _rows(page: Any) -> list[str]:
    return [row.get_attribute("data-run") for row in page.locator("#runs tbody tr").all()]


def _api_rows(api: Api, *, order: str = "-created_at", **query: Any) -> list[str]:
    """The API's answer; the table's default order is W&B's (newest first), not the SDK's."""
    return [run.id for run in api.runs(PATH, per_page=100, order=order, **query)]


def test_runs_table_sorts_and_filters_as_the_api_does(
    page: Any, demo: EmulatorHandle, wandb_api: Api
) -> None:
    page.goto(f"{demo.url}/{PATH}")
    assert _rows(page) == _api_rows(wandb_api)
    assert len(_rows(page)) == RUNS
    screenshot(page, "runs")

    page.get_by_role("link", name="config lr", exact=True).click()
    assert _rows(page) == _api_rows(wandb_api, order="+config.lr")
    page.get_by_role("link", name="config lr ▲").click()
    assert _rows(page) == _api_rows(wandb_api, order="-config.lr")

    filters = {"summary_metrics.loss": {"$lt": 0.5}}
    page.fill("#filters", json.dumps(filters))
    page.press("#filters", "Enter")
    expected = _api_rows(wandb_api, filters=filters, order="-config.lr")
    assert _rows(page) == expected and 0 < len(expected) < RUNS

    page.locator('a.chip[data-state="finished"]').click()
    both = {"$and": [filters, {"state": "finished"}]}
    assert _rows(page) == _api_rows(wandb_api, filters=both, order="-config.lr")

    page.fill("#filters", '{"config.lr": {"$bogus": 1}}')
    page.press("#filters", "Enter")
    assert "unknown operator" in page.locator("#filter-error").inner_text()


def test_run_page_draws_one_chart_per_metric_with_every_point(
    page: Any, demo: EmulatorHandle
) -> None:
    run = demo.store.runs.get(ENTITY, PROJECT, _first_run(demo))
    assert run is not None
    page.goto(f"{demo.url}/{PATH}/runs/{run.name}")
    charts = page.locator("#charts figure.chart")
    assert charts.evaluate_all("cs => cs.map(c => c.dataset.metric)") == metric_keys(
        demo.store.history.info(run.id, HISTORY)
    )
    rows = demo.store.history.history_rows(run.id)
    for chart in charts.all():
        metric = chart.get_attribute("data-metric")
        points = chart.locator("polyline").get_attribute("points")
        assert len(points.split()) == sum(row.get(metric) is not None for row in rows)
    assert page.locator("#system figure.chart").count() > 0
    charts.first.locator("svg").hover()
    assert page.locator(".hover").first.is_visible()  # ui.js: the value under the pointer
    screenshot(page, "run", full_page=True)


def _first_run(demo: EmulatorHandle) -> str:
    project = demo.store.projects.project(ENTITY, PROJECT)
    assert project is not None
    return demo.store.runs.page(project.id, first=1).runs[0].name


def test_file_downloads_return_the_stored_bytes(
    page: Any, demo: EmulatorHandle, tmp_path: Path
) -> None:
    name = _first_run(demo)
    run = demo.store.runs.get(ENTITY, PROJECT, name)
    assert run is not None
    page.goto(f"{demo.url}/{PATH}/runs/{name}")
    for file in demo.store.files.page(run.id).files:
        with page.expect_download() as download:
            page.locator("#files a", has_text=file.name).click()
        saved = tmp_path / file.name
        download.value.save_as(saved)
        assert saved.read_bytes() == demo.store.files.read(file)


def test_artifact_lineage_links_producer_and_consumer(
    page: Any, demo: EmulatorHandle, wandb_api: Api
) -> None:
    store = demo.store
    consumer, used = next(
        (run, version)
        for run in wandb_api.runs(PATH)
        for version in store.artifacts.lineage.used_by_run(_run_id(demo, run.id))
        if version.created_by_run_id is not None
    )
    producer = store.runs.by_id(used.created_by_run_id)
    assert producer is not None
    page.goto(f"{demo.url}/{PATH}/artifacts")
    page.get_by_role("link", name=used.collection, exact=True).click()
    assert page.locator("h1").inner_text().startswith(used.collection)
    page.get_by_role("link", name=used.version, exact=True).click()
    assert (
        page.locator(".lineage a.producer").get_attribute("href").endswith(f"/runs/{producer.name}")
    )
    screenshot(page, "artifact")
    page.locator(".lineage a.consumer", has_text=consumer.name).click()
    assert page.url == consumer.url
    page.go_back()
    page.locator(".lineage a.producer").click()
    assert page.url.endswith(f"/{PATH}/runs/{producer.name}")


def _run_id(demo: EmulatorHandle, name: str) -> int:
    run = demo.store.runs.get(ENTITY, PROJECT, name)
    assert run is not None
    return run.id


def test_compare_plots_one_metric_of_the_selected_runs(
    open_page: Callable[..., Any], demo: EmulatorHandle
) -> None:
    page = open_page(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page.goto(f"{demo.url}/{PATH}")
    selected = _rows(page)[:3]
    for name in selected:
        page.locator(f'tr[data-run="{name}"] input[type=checkbox]').check()
    page.get_by_role("button", name="Compare selected").click()
    page.select_option("#metric", "loss")
    page.get_by_role("button", name="Plot").click()
    lines = page.locator("figure.chart polyline")
    assert lines.count() == 3
    assert all(len(line.get_attribute("points").split()) == STEPS for line in lines.all())
    screenshot(page, "compare")


def test_run_page_fits_a_phone(open_page: Callable[..., Any], demo: EmulatorHandle) -> None:
    phone = open_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{demo.url}/{PATH}/runs/{_first_run(demo)}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "run-phone")


def test_tags_and_notes_edited_on_the_page_reach_the_api(
    page: Any, demo: EmulatorHandle, wandb_api: Api
) -> None:
    name = _first_run(demo)
    page.goto(f"{demo.url}/{PATH}/runs/{name}")
    page.locator("details.edit summary").click()
    page.fill("#tags", "keep, <b>bold</b>")
    page.fill("#notes", "second try\nwith warmup")
    page.get_by_role("button", name="Save").click()
    assert page.url.endswith(f"/runs/{name}")
    assert page.locator("#notes-text").inner_text() == "second try\nwith warmup"
    run = wandb_api.run(f"{PATH}/{name}")
    assert (run.tags, run.notes) == (["keep", "<b>bold</b>"], "second try\nwith warmup")


def test_sweep_url_opens_parallel_coordinates_and_a_plot_per_parameter_opening_the_runs(
    page: Any, wandb_emulator: EmulatorHandle, wandb_api: Api
) -> None:
    wandb_emulator.seed(entity=ENTITY, project=PROJECT, runs=RUNS, steps=STEPS, seed=0, sweeps=2)
    listed = list(wandb_api.project(PROJECT, entity=ENTITY).sweeps())
    page.goto(f"{wandb_emulator.url}/{PATH}")
    page.locator("#sweeps-link").click()
    rows = page.locator("#sweeps tbody tr").all()
    assert sorted(row.get_attribute("data-sweep") for row in rows) == sorted(s.id for s in listed)
    sweep = listed[0]
    page.get_by_role("link", name=sweep.id, exact=True).click()
    assert page.url == sweep.url  # the URL the SDK and our client give opens this page
    swept = [name for name, spec in sweep.config["parameters"].items() if "value" not in spec]
    plots = page.locator("figure.scatter")
    assert [plot.get_attribute("data-parameter") for plot in plots.all()] == swept
    metric = sweep.config["metric"]["name"]
    runs = [run for run in sweep.runs if metric in run.summary]
    assert runs and all(plot.locator("circle").count() == len(runs) for plot in plots.all())
    parallel = page.locator("figure.parallel")
    axes = parallel.locator("g.axis").evaluate_all("gs => gs.map(g => g.dataset.axis)")
    assert axes == [*swept, metric]
    lines = parallel.locator("polyline.run")
    assert sorted(lines.evaluate_all("ls => ls.map(l => l.dataset.run)")) == sorted(
        run.id for run in runs
    )
    assert "best" in (lines.last.get_attribute("class") or "")  # the best is drawn on top
    box = lines.last.bounding_box()
    assert box is not None and box["width"] > 100
    page.set_viewport_size({"width": 1280, "height": 1400})  # overview, parallel, scatters
    screenshot(page, "sweep")
    plots.first.locator(f'circle[data-run="{runs[0].id}"]').click()
    assert page.url == runs[0].url
