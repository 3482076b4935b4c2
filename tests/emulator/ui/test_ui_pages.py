"""The UI's pages served in-process: what each lists, links and refuses."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from starlette.testclient import TestClient

from emulator import Store
from emulator.store import Run
from emulator.store.history import HISTORY
from emulator.ui.series import metric_keys
from tests.emulator.ui.conftest import ENTITY, PROJECT, RUNS, STEPS

BASE = f"/{ENTITY}/{PROJECT}"


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-run="([^"]+)">', html)


def test_home_lists_entities_and_projects_with_run_counts(
    pages: TestClient, seeded: list[Run]
) -> None:
    html = pages.get("/").text
    assert f'href="/{ENTITY}"' in html
    row = re.search(rf'href="{BASE}">{PROJECT}</a></td>\s*<td class="num">(\d+)</td>', html)
    assert row is not None and int(row.group(1)) == RUNS


def test_runs_table_pages_through_every_run_with_the_api_cursors(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    seen: list[str] = []
    url = f"{BASE}?first=5&order=%2Bconfig.lr"
    while url:
        html = pages.get(url).text
        seen += _rows(html)
        found = re.search(r'id="next-page" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else ""
    project = store.projects.project(ENTITY, PROJECT)
    assert project is not None
    expected = store.runs.page(project.id, order="+config.lr", first=100).runs
    assert seen == [run.name for run in expected]


def test_state_and_tag_filters_are_anded_to_the_box(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    tag = next(tag for run in seeded for tag in run.tags)
    filters = json.dumps({"config.epochs": {"$gte": 10}})
    html = pages.get(BASE, params={"filters": filters, "tag": tag, "state": "finished"}).text
    expected = {
        run.name
        for run in seeded
        if tag in run.tags and run.state == "finished" and run.config["epochs"]["value"] >= 10
    }
    assert set(_rows(html)) == expected


def test_a_malformed_filter_shows_the_api_message(pages: TestClient, seeded: list[Run]) -> None:
    response = pages.get(BASE, params={"filters": '{"nosuch": 1}'})
    assert response.status_code == 200
    assert "invalid filters or order: unknown field &#39;nosuch&#39;" in response.text
    not_json = pages.get(BASE, params={"filters": "{oops"})
    assert not_json.status_code == 200 and "filters are not valid JSON" in not_json.text
    bad_cursor = pages.get(BASE, params={"after": "???"})
    assert bad_cursor.status_code == 200 and "invalid cursor" in bad_cursor.text


def test_missing_things_are_404_pages_naming_them(pages: TestClient, seeded: list[Run]) -> None:
    run = seeded[0].name
    cases = {
        "/nobody": "entity &#39;nobody&#39; not found",
        f"/{ENTITY}/nothing": f"project {ENTITY}/nothing not found",
        f"{BASE}/runs/nope": f"run {ENTITY}/{PROJECT}/nope not found",
        f"{BASE}/compare?run={run}&run=nope": f"run {ENTITY}/{PROJECT}/nope not found",
        f"{BASE}/artifacts/dataset/nope": "artifact",
        f"{BASE}/artifacts/dataset/mnist/v99": f"{ENTITY}/{PROJECT}/mnist:v99 not found",
    }
    for path, message in cases.items():
        response = pages.get(path)
        assert response.status_code == 404, path
        assert message in response.text, path


def test_run_page_has_one_chart_per_metric_with_every_point(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    run = seeded[0]
    html = pages.get(f"{BASE}/runs/{run.name}").text
    history = html[html.index('id="charts"') : html.index('id="system"')]
    metrics = re.findall(r'<figure class="chart" data-metric="([^"]+)"', history)
    assert metrics == metric_keys(store.history.info(run.id, HISTORY))
    counts = re.findall(r'data-count="(\d+)" points="([^"]+)"', history)
    for metric, (count, points) in zip(metrics, counts, strict=True):
        logged = sum(row.get(metric) is not None for row in store.history.history_rows(run.id))
        assert int(count) == len(points.split()) == logged
    assert "loss" in metrics and int(counts[metrics.index("loss")][0]) == STEPS


def test_run_urls_of_wandb_shape_open_the_run(pages: TestClient, seeded: list[Run]) -> None:
    run = seeded[0]
    for tab in ("", "/overview", "/logs", "/files"):
        response = pages.get(f"{BASE}/runs/{run.name}{tab}")
        assert response.status_code == 200 and run.display_name in response.text
    workspace = pages.get(f"{BASE}/workspace", follow_redirects=False)
    assert workspace.status_code == 307 and workspace.headers["location"].endswith(BASE)


def test_file_links_download_the_stored_bytes(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    run = seeded[0]
    html = pages.get(f"{BASE}/runs/{run.name}").text
    links = re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', html)
    assert links
    for href, name in links:
        stored = store.files.get(run.id, name)
        assert stored is not None
        assert pages.get(href.replace("&amp;", "&")).content == store.files.read(stored)


def test_version_page_lists_aliases_files_and_lineage(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    consumer = next(run for run in seeded if store.artifacts.lineage.used_by_run(run.id))
    used = store.artifacts.lineage.used_by_run(consumer.id)[0]
    html = pages.get(f"{BASE}/artifacts/{used.type}/{used.collection}/{used.version}").text
    assert f'class="consumer" href="{BASE}/runs/{quote(consumer.name)}"' in html
    for alias in store.artifacts.aliases(used.id):
        assert f'<span class="tag">{alias}</span>' in html
    for file in store.artifacts.files(used.id):
        href = re.search(rf'<a href="([^"]+)" download="[^"]*">{re.escape(file.name)}</a>', html)
        assert href is not None
        assert pages.get(href.group(1)).content == store.artifacts.contents.file(file.md5_hex)


def test_user_values_are_escaped(pages: TestClient, store: Store) -> None:
    evil = "<script>alert(1)</script>"
    project = store.projects.ensure_project(ENTITY, PROJECT)
    (run_id,) = store.runs.insert(
        project.id,
        [
            Run(
                name="evil",
                display_name=evil,
                tags=[evil],
                config={evil: {"value": evil}},
                summary_metrics={evil: evil},
                notes=evil,
                username=ENTITY,
            )
        ],
    )
    store.console.write(run_id, [evil], 0)
    for path in (f"{BASE}/runs/evil", BASE, f"{BASE}?filters={quote(evil)}"):
        html = pages.get(path).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_the_run_form_sets_tags_and_notes(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    name = seeded[0].name
    form = {"tags": " best , ready,best", "notes": "looks good"}
    response = pages.post(f"{BASE}/runs/{name}", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/runs/{name}"
    run = store.runs.get(ENTITY, PROJECT, name)
    assert run is not None and (run.tags, run.notes) == (["best", "ready"], "looks good")


def test_bad_edits_are_refused_and_change_nothing(
    pages: TestClient, store: Store, seeded: list[Run]
) -> None:
    name = seeded[0].name
    before = store.runs.get(ENTITY, PROJECT, name)
    path = f"{BASE}/runs/{name}"
    foreign = pages.post(path, data={"tags": "x"}, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403 and "cross-site request" in foreign.text
    long_tag = pages.post(path, data={"tags": "t" * 65})
    assert long_tag.status_code == 400 and "longer than 64" in long_tag.text
    missing = pages.post(f"{BASE}/runs/nope", data={"tags": "x"})
    assert missing.status_code == 404 and "nope not found" in missing.text
    assert store.runs.get(ENTITY, PROJECT, name) == before
