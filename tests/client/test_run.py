"""Run attributes, decoded from the wire form of the Run query."""

from __future__ import annotations

import json

import pytest
from client_fakes import BASE_URL, FakeServer, full_run_node

from client import Api, Run, User
from client._urls import app_url


@pytest.fixture
def run(api: Api, fake_server: FakeServer) -> Run:
    node = full_run_node(
        "abc123",
        tags=["a", "b"],
        group="grp",
        jobType="train",
        sweepName="sw1",
        notes="some notes",
        description="desc",
        commit="deadbeef",
        readOnly=True,
    )
    fake_server.reply("Run", {"project": {"run": node}})
    return api.run("ent/proj/abc123")


def test_identity_and_location(run: Run) -> None:
    assert run.id == "abc123"
    assert run.storage_id == "storage-abc123"
    assert (run.entity, run.project) == ("ent", "proj")
    assert run.path == ["ent", "proj", "abc123"]
    assert run.url == f"{BASE_URL}/ent/proj/runs/abc123"
    assert run.project_internal_id == 101
    assert repr(run) == "<Run ent/proj/abc123 (finished)>"


def test_metadata(run: Run) -> None:
    assert run.name == run.display_name == "display-abc123"
    assert run.state == "finished"
    assert run.tags == ["a", "b"]
    assert (run.group, run.job_type, run.sweep_name) == ("grp", "train", "sw1")
    assert (run.notes, run.description, run.commit) == ("some notes", "desc", "deadbeef")
    assert run.read_only is True
    assert (run.created_at, run.heartbeat_at) == ("2026-01-01T00:00:00", "2026-01-01T00:10:00")
    assert run.history_line_count == 30
    assert run.user == User(name="Test User", username="ent")


def test_config_is_unwrapped_without_internal_keys(run: Run) -> None:
    assert run.config == {"lr": 0.05, "batch": 32}
    assert run.rawconfig == {"_wandb": {"cli_version": "0.31.0"}, "lr": 0.05, "batch": 32}


def test_json_config_is_the_wire_form(run: Run) -> None:
    assert json.loads(run.json_config) == {
        "_wandb": {"value": {"cli_version": "0.31.0"}, "desc": None},
        "lr": {"value": 0.05, "desc": None},
        "batch": {"value": 32, "desc": None},
    }


def test_summary_and_system_metrics(run: Run) -> None:
    assert run.summary == {"loss": 0.25, "_step": 29, "_wandb": {"runtime": 15}}
    assert run.summary.get("loss") == 0.25
    assert run.summary_metrics == run.summary
    assert type(run.summary_metrics) is dict
    assert run.system_metrics == {"system.cpu": 12.5}


def test_null_json_fields_read_as_empty(api: Api, fake_server: FakeServer) -> None:
    node = full_run_node("r", config=None, summaryMetrics=None, systemMetrics="null", tags=None)
    fake_server.reply("Run", {"project": {"run": node}})
    run = api.run("e/p/r")

    assert (run.config, run.rawconfig, run.summary, run.system_metrics) == ({}, {}, {}, {})
    assert run.tags is None
    assert fake_server.operations() == ["Run"]


def test_config_values_not_in_wire_form_are_kept(api: Api, fake_server: FakeServer) -> None:
    config = {"plain": 3, "wrapped": {"value": [1, 2]}, "wandb_version": {"value": 1}}
    node = full_run_node("r", config=json.dumps(config), summaryMetrics={"loss": 1})
    fake_server.reply("Run", {"project": {"run": node}})
    run = api.run("e/p/r")

    assert run.config == {"plain": 3, "wrapped": [1, 2]}
    assert run.rawconfig["wandb_version"] == 1
    assert run.summary == {"loss": 1}


def test_name_is_settable(run: Run) -> None:
    run.name = "renamed"

    assert run.name == run.display_name == "renamed"


def test_load_refetches_only_when_forced(run: Run, fake_server: FakeServer) -> None:
    assert run.load()["name"] == "abc123"
    assert fake_server.operations() == ["Run"]

    fake_server.reply("Run", {"project": {"run": full_run_node("abc123", state="crashed")}})
    run.load(force=True)

    assert fake_server.operations() == ["Run", "Run"]
    assert run.state == "crashed"


def test_username_is_a_deprecated_alias_of_entity(run: Run) -> None:
    with pytest.warns(DeprecationWarning, match="entity"):
        assert run.username == "ent"


def test_to_html_embeds_the_run_page(run: Run) -> None:
    html = run.to_html(height=300)
    hidden = run.to_html(hidden=True)

    assert html == (
        f"<iframe src='{BASE_URL}/ent/proj/runs/abc123?jupyter=true' "
        "style='border:none;width:100%;height:300px;'></iframe>"
    )
    assert "height:420px;display:none;" in hidden
    assert hidden.startswith("<button")
    assert run._repr_html_() == run.to_html()


def test_url_quotes_path_parts(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("Run", {"project": {"run": full_run_node("r 1")}})

    assert api.run("my team/proj/r 1").url == f"{BASE_URL}/my%20team/proj/runs/r%201"


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:8080/", "http://localhost:8080"),
        ("https://api.wandb.ai", "https://forge.coreweave.com/wandb"),
        ("https://api.forge.coreweave.com", "https://forge.coreweave.com/wandb"),
        ("https://api.wandb.test", "https://app.wandb.test"),
        ("https://api.wandb.example", "https://wandb.example"),
        ("https://api.acme.com", "https://app.acme.com"),
    ],
)
def test_app_url_follows_wandb(base_url: str, expected: str) -> None:
    assert app_url(base_url) == expected


def test_app_url_environment_override(
    clean_env: pytest.MonkeyPatch, fake_http, fake_server: FakeServer
) -> None:
    clean_env.setenv("WANDB_APP_URL", "https://ui.example")
    fake_server.reply("Run", {"project": {"run": full_run_node("r")}})

    assert Api(http_client=fake_http).run("e/p/r").url == "https://ui.example/e/p/runs/r"
