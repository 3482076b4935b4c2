"""The UI's sweep pages served in-process: the list, one plot per parameter with one
point per run, links to the runs, 404s and escaping."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest
import yaml  # type: ignore[import-untyped]
from starlette.testclient import TestClient

from emulator import Store
from emulator.store import Run
from emulator.store.sweeps import Sweep
from emulator.sweeps.lifecycle import create_sweep
from emulator.sweeps.metric import sweep_metric
from emulator.sweeps.params import leaves
from fixtures.seeding import seed_project
from tests.emulator.ui.conftest import ENTITY, PROJECT, RUNS

BASE = f"/{ENTITY}/{PROJECT}"
SWEEPS = 3


@pytest.fixture
def sweeps(store: Store) -> list[Sweep]:
    """``SWEEPS`` seeded sweeps over the runs of ``demo/demo-project``."""
    seed_project(store, seed=0, entity=ENTITY, project=PROJECT, runs=RUNS, steps=10, sweeps=SWEEPS)
    project = store.projects.project(ENTITY, PROJECT)
    assert project is not None
    return store.sweeps.of_project(project.id)


def _runs_of(store: Store, sweep: Sweep) -> list[Run]:
    return store.runs.page(sweep.project_id, filters={"sweep": sweep.name}, first=100).runs


def _plots(html: str) -> dict[str, tuple[str, str]]:
    """Each plot's parameter -> (scale, its SVG), as the page draws them."""
    found = re.findall(
        r'<figure class="chart scatter" data-parameter="([^"]+)" data-scale="(\w+)">(.*?)</figure>',
        html,
        re.S,
    )
    return {unescape(name): (scale, body) for name, scale, body in found}


def _parallel(html: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The parallel-coordinates plot's axes, and (class, run, title) of each line in
    drawing order."""
    found = re.search(r'<figure class="chart parallel".*?</figure>', html, re.S)
    assert found is not None, "no parallel-coordinates plot"
    axes = re.findall(r'<g class="axis" data-axis="([^"]+)"', found.group(0))
    lines = re.findall(
        r'<polyline class="run ([^"]+)" data-run="([^"]+)" points="[\d., ]+">'
        r"<title>([^<]*)</title>",
        found.group(0),
    )
    return [unescape(axis) for axis in axes], [
        (kind, unescape(run), unescape(title)) for kind, run, title in lines
    ]


def _points(svg: str) -> list[tuple[str, str, float]]:
    """(link, run, x) of each point of a plot."""
    return [
        (href, run, float(x))
        for href, run, x in re.findall(
            r'<a href="([^"]+)"><circle class="point[^"]*" data-run="([^"]+)" cx="([\d.]+)"', svg
        )
    ]


def test_project_page_links_its_sweeps_which_list_each_with_its_best_value(
    pages: TestClient, store: Store, sweeps: list[Sweep]
) -> None:
    assert len(sweeps) == SWEEPS
    project_page = pages.get(BASE).text
    assert f'id="sweeps-link" href="{BASE}/sweeps">Sweeps ({SWEEPS})' in project_page
    html = pages.get(f"{BASE}/sweeps").text
    rows = dict(re.findall(r'<tr data-sweep="([^"]+)">(.*?)</tr>', html, re.S))
    assert set(rows) == {sweep.name for sweep in sweeps}
    for sweep in sweeps:
        row = rows[sweep.name]
        metric = sweep_metric(sweep.config)
        assert metric is not None
        best = metric.best(run.summary_metrics for run in _runs_of(store, sweep))
        assert best is not None
        assert f'href="{BASE}/sweeps/{sweep.name}"' in row
        assert f"{metric.name} <small" in row and f"({metric.goal})" in row
        assert f'<td class="num">{sweep.run_count}' in row and sweep.method in row
        assert f'<td class="num best">{best:.6g}</td>' in row


def test_sweep_page_plots_each_parameter_with_a_point_per_run_linking_to_it(
    pages: TestClient, store: Store, sweeps: list[Sweep]
) -> None:
    sweep = sweeps[0]
    config = yaml.safe_load(sweep.config)
    swept = [leaf for leaf in leaves(config["parameters"]) if leaf.distribution != "constant"]
    runs = _runs_of(store, sweep)
    metric = sweep_metric(sweep.config)
    assert metric is not None and swept and runs
    with_metric = {run.name for run in runs if metric.value(run.summary_metrics) is not None}

    html = pages.get(f"{BASE}/sweeps/{sweep.name}").text
    plots = _plots(html)
    assert list(plots) == [leaf.name for leaf in swept]
    best_value = metric.best(run.summary_metrics for run in runs)
    best = [run.name for run in runs if metric.value(run.summary_metrics) == best_value]
    for leaf in swept:
        scale, svg = plots[leaf.name]
        expected_scale = {"log_uniform_values": "log", "categorical": "categorical"}.get(
            leaf.distribution, "linear"
        )
        assert scale == expected_scale
        points = _points(svg)
        assert sorted(run for _, run, _ in points) == sorted(with_metric)
        assert {href for href, _, _ in points} == {f"{BASE}/runs/{name}" for name in with_metric}
        assert re.findall(r'class="point best" data-run="([^"]+)"', svg) == best
        if scale != "categorical":  # x follows the value: larger values further right
            value = {run.name: run.config[leaf.name]["value"] for run in runs}
            by_x = [run for _, run, _ in sorted(points, key=lambda point: point[2])]
            assert [value[run] for run in by_x] == sorted(value[run] for run in by_x)
    axes, lines = _parallel(html)  # the parameters then the metric; a line per run, best last
    assert axes == [leaf.name for leaf in swept] + [metric.name]
    assert sorted(run for _, run, _ in lines) == sorted(with_metric)
    assert lines[-1][0].endswith(" best") and lines[-1][1] in best
    display = {run.name: run.display_name or run.name for run in runs}
    for _, run_name, title in lines:
        assert title.startswith(f"{display[run_name]}: {swept[0].name} = ")
        assert f", {metric.name} = " in title
    table = re.search(r'<table class="runs" id="sweep-runs">(.*?)</table>', html, re.S)
    assert table is not None
    assert re.findall(r'<tr data-run="([^"]+)">', table.group(1)) == [run.name for run in runs]
    for run in runs:  # each run's page links back to the sweep
        run_page = pages.get(f"{BASE}/runs/{quote(run.name)}").text
        assert f'<td id="sweep"><a href="{BASE}/sweeps/{sweep.name}">' in run_page


def test_unknown_sweeps_and_projects_are_404_pages_naming_them(
    pages: TestClient, sweeps: list[Sweep]
) -> None:
    cases = {
        f"{BASE}/sweeps/nosuch12": f"sweep {ENTITY}/{PROJECT}/nosuch12 not found",
        f"/{ENTITY}/nothing/sweeps": f"project {ENTITY}/nothing not found",
        f"/{ENTITY}/nothing/sweeps/{sweeps[0].name}": f"project {ENTITY}/nothing not found",
        "/nobody/x/sweeps": "entity &#39;nobody&#39; not found",
    }
    for path, message in cases.items():
        response = pages.get(path)
        assert response.status_code == 404, path
        assert f'id="error">{message}</p>' in response.text


def test_a_project_without_sweeps_says_so(pages: TestClient, store: Store) -> None:
    seed_project(store, seed=0, entity=ENTITY, project=PROJECT, runs=2, steps=5)
    assert "sweeps-link" not in pages.get(BASE).text
    assert "No sweeps in this project." in pages.get(f"{BASE}/sweeps").text


EVIL = "<script>alert(1)</script>"


def test_every_sweep_value_is_escaped(pages: TestClient, store: Store) -> None:
    config = {
        "name": EVIL,
        "description": EVIL,
        "method": "grid",
        "metric": {"name": EVIL, "goal": "maximize"},
        "parameters": {EVIL: {"values": [EVIL, "<b>bold</b>"]}},
    }
    sweep = create_sweep(store, ENTITY, PROJECT, yaml.safe_dump(config), username="alice")
    store.runs.upsert(
        ENTITY,
        PROJECT,
        "evil-run",
        {
            "display_name": EVIL,
            "sweep_name": sweep.name,
            "config": {EVIL: {"value": EVIL}},
            "summary_metrics": {EVIL: 1.5},
        },
        username="alice",
    )
    store.runs.upsert(
        ENTITY,
        PROJECT,
        "<script>",
        {
            "display_name": "<script>",
            "sweep_name": sweep.name,
            "config": {EVIL: {"value": "<b>bold</b>"}},
            "summary_metrics": {EVIL: 2},
        },
        username="alice",
    )
    for path in (f"{BASE}/sweeps", f"{BASE}/sweeps/{sweep.name}"):
        html = pages.get(path).text
        assert "<script>alert" not in html and "<b>bold" not in html and "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = pages.get(f"{BASE}/sweeps/{sweep.name}").text
    plots = _plots(html)
    assert plots[EVIL][0] == "categorical" and len(_points(plots[EVIL][1])) == 2
    assert _parallel(html) == (
        [EVIL, EVIL],
        [
            ("p0", "evil-run", f"{EVIL}: {EVIL} = {EVIL}, {EVIL} = 1.5"),
            ("p7 best", "<script>", f"<script>: {EVIL} = <b>bold</b>, {EVIL} = 2"),
        ],
    )
    assert f'<a href="{BASE}/runs/%3Cscript%3E"><polyline' in html


def test_axes_follow_the_config_and_fall_back_when_they_cannot(
    pages: TestClient, store: Store
) -> None:
    config = {
        "method": "random",
        "metric": {"name": "loss"},
        "parameters": {
            "layers": {"values": [8, 2, 4]},  # numbers, but categories in the config's order
            "lr": {"values": [0.0, 0.1]},  # a list, so categorical too
            "wd": {"distribution": "log_uniform_values", "min": 0.001, "max": 0.1},
            "scale": {"distribution": "log_uniform_values", "min": 0.001, "max": 0.1},
            "fixed": {"value": 3},
        },
    }
    sweep = create_sweep(store, ENTITY, PROJECT, yaml.safe_dump(config), username="alice")
    values = [(8, 0.0, 0.001, 0.0, 0.3), (2, 0.1, 0.1, 0.01, 0.2), (4, 0.1, 0.01, 0.1, None)]
    for index, (layers, lr, wd, scale, loss) in enumerate(values):
        run_config = {"layers": layers, "lr": lr, "wd": wd, "scale": scale, "fixed": 3}
        store.runs.upsert(
            ENTITY,
            PROJECT,
            f"run-{index}",
            {
                "sweep_name": sweep.name,
                "config": {k: {"value": v} for k, v in run_config.items()},
                "summary_metrics": {} if loss is None else {"loss": loss},
            },
            username="alice",
        )
    plots = _plots(pages.get(f"{BASE}/sweeps/{sweep.name}").text)
    # Constants are not plotted; a zero cannot go on a log axis, so "scale" is linear.
    assert {name: scale for name, (scale, _) in plots.items()} == {
        "layers": "categorical",
        "lr": "categorical",
        "wd": "log",
        "scale": "linear",
    }
    layer_x = {run: x for _, run, x in _points(plots["layers"][1])}
    assert set(layer_x) == {"run-0", "run-1"}  # run-2 has no loss
    # Three slots in the config's order (8, 2, 4) whatever the runs hold: 8 left of 2.
    assert layer_x["run-0"] < layer_x["run-1"]
    ticks = re.findall(r'class="xlabel"[^>]*>([^<]+)<', plots["layers"][1])
    assert ticks == ["8", "2", "4"]
    wd_x = {run: x for _, run, x in _points(plots["wd"][1])}
    assert wd_x["run-0"] < wd_x["run-1"]


def test_sweeps_without_a_metric_or_a_swept_parameter_have_no_plots(
    pages: TestClient, store: Store
) -> None:
    configs = {
        "The sweep's config names no metric to plot.": {
            "method": "grid",
            "parameters": {"lr": {"values": [0.1, 0.2]}},
        },
        "The sweep varies no parameter.": {
            "method": "grid",
            "metric": {"name": "loss"},
            "parameters": {"lr": {"value": 0.1}},
        },
    }
    for message, config in configs.items():
        sweep = create_sweep(store, ENTITY, PROJECT, yaml.safe_dump(config), username="alice")
        store.runs.upsert(
            ENTITY,
            PROJECT,
            f"run-of-{sweep.name}",
            {
                "sweep_name": sweep.name,
                "config": {"lr": {"value": 0.1}},
                "summary_metrics": {"loss": 0.5},
            },
            username="alice",
        )
        html = pages.get(f"{BASE}/sweeps/{sweep.name}").text
        assert f'<p class="muted">{message}</p>' in html.replace("&#39;", "'")
        assert "<figure" not in html and f'data-run="run-of-{sweep.name}"' in html
