"""Api configuration, path parsing, argument checks and the run cache."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from client_fakes import API_KEY, FakeServer, full_run_node

from client import Api, InvalidPathError, NotFoundError, UsageError, WandbClientError
from client._paths import RunPath, parse_project_path, parse_run_path


@pytest.fixture
def env_http(fake_server: FakeServer) -> Iterator[httpx.Client]:
    """A client without a base URL, so the Api's own base URL is used."""
    with httpx.Client(transport=httpx.MockTransport(fake_server)) as http:
        yield http


def serve_runs(fake_server: FakeServer) -> None:
    """Answer every ``Run`` query with the requested run."""
    fake_server.on("Run", lambda variables: {"project": {"run": full_run_node(variables["name"])}})


# Configuration.


def test_defaults_come_from_the_environment(
    clean_env: pytest.MonkeyPatch, env_http: httpx.Client, fake_server: FakeServer
) -> None:
    clean_env.setenv("WANDB_BASE_URL", "http://env.example:8080/")
    clean_env.setenv("WANDB_API_KEY", API_KEY)
    clean_env.setenv("WANDB_ENTITY", "env-entity")
    clean_env.setenv("WANDB_PROJECT", "env-project")
    serve_runs(fake_server)

    api = Api(http_client=env_http)
    run = api.run("abc123")

    assert api.settings == {
        "base_url": "http://env.example:8080",
        "entity": "env-entity",
        "project": "env-project",
    }
    assert api.api_key == API_KEY
    assert run.path == ["env-entity", "env-project", "abc123"]
    assert run.url == "http://env.example:8080/env-entity/env-project/runs/abc123"
    [call] = fake_server.calls
    assert str(call.request.url) == "http://env.example:8080/graphql"
    assert call.request.headers["authorization"].startswith("Basic ")


def test_default_base_url_is_wandb_cloud(clean_env: pytest.MonkeyPatch) -> None:
    with Api() as api:
        assert api.settings["base_url"] == "https://api.wandb.ai"
        assert api.api_key is None


def test_arguments_and_overrides_win_over_the_environment(
    clean_env: pytest.MonkeyPatch, env_http: httpx.Client, fake_server: FakeServer
) -> None:
    clean_env.setenv("WANDB_BASE_URL", "http://env.example")
    clean_env.setenv("WANDB_API_KEY", "env-key")
    clean_env.setenv("WANDB_ENTITY", "env-entity")
    overrides = {"base_url": "http://override.example", "entity": "o-ent", "project": "o-proj"}

    api = Api(api_key="arg-key", http_client=env_http, overrides=overrides)

    assert api.api_key == "arg-key"
    assert api.settings == {
        "base_url": "http://override.example",
        "entity": "o-ent",
        "project": "o-proj",
    }
    assert Api("http://arg.example", overrides=overrides).settings["base_url"] == (
        "http://arg.example"
    )


def test_unknown_override_is_rejected(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="organisation"):
        Api(overrides={"organisation": "acme"})


def test_default_entity_is_fetched_lazily_and_once(api: Api, fake_server: FakeServer) -> None:
    assert fake_server.calls == []

    assert api.default_entity == "ent"
    assert api.default_entity == "ent"
    assert fake_server.operations() == ["GetDefaultEntity"]


def test_default_entity_is_none_without_viewer(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("GetDefaultEntity", {"viewer": None})

    assert api.default_entity is None


# Run paths.


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("ent/proj/abc123", RunPath("ent", "proj", "abc123")),
        ("ent/proj/runs/abc123", RunPath("ent", "proj", "abc123")),
        ("/ent/proj/runs/abc123/", RunPath("ent", "proj", "abc123")),
        (" ent / proj / abc123 ", RunPath("ent", "proj", "abc123")),
        ("ent/proj:abc123", RunPath("ent", "proj", "abc123")),
        ("proj/abc123", RunPath(None, "proj", "abc123")),
        ("proj:abc123", RunPath(None, "proj", "abc123")),
        ("abc123", RunPath(None, None, "abc123")),
    ],
)
def test_parse_run_path_accepts_wandb_forms(path: str, expected: RunPath) -> None:
    assert parse_run_path(path) == expected


@pytest.mark.parametrize(
    "path", ["", "/", "ent//abc", "a/b/c/d", "a/b/c/d/e", "ent/proj:", ":abc", None, 42]
)
def test_parse_run_path_rejects_other_forms(path: object) -> None:
    with pytest.raises(InvalidPathError) as caught:
        parse_run_path(path)  # type: ignore[arg-type]
    assert repr(path) in str(caught.value)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("proj", (None, "proj")), ("ent/proj", ("ent", "proj")), ("/ent/proj/", ("ent", "proj"))],
)
def test_parse_project_path(path: str, expected: tuple[str | None, str]) -> None:
    assert parse_project_path(path) == expected


@pytest.mark.parametrize("path", ["", "a/b/c", "a//b"])
def test_parse_project_path_rejects_other_forms(path: str) -> None:
    with pytest.raises(InvalidPathError, match=repr(path)):
        parse_project_path(path)


@pytest.mark.parametrize(
    ("path", "variables", "operations"),
    [
        ("e/p/r1", {"entity": "e", "project": "p", "name": "r1"}, ["Run"]),
        ("e/p/runs/r1", {"entity": "e", "project": "p", "name": "r1"}, ["Run"]),
        ("p/r1", {"entity": "ent", "project": "p", "name": "r1"}, ["GetDefaultEntity", "Run"]),
    ],
)
def test_run_queries_the_parsed_path(
    api: Api,
    fake_server: FakeServer,
    path: str,
    variables: dict[str, str],
    operations: list[str],
) -> None:
    serve_runs(fake_server)

    run = api.run(path)

    assert fake_server.operations() == operations
    assert fake_server.calls[-1].variables == variables
    assert run.path == [variables["entity"], variables["project"], variables["name"]]


def test_bad_run_path_raises_a_value_error_naming_the_path(
    api: Api, fake_server: FakeServer
) -> None:
    with pytest.raises(ValueError, match="'a/b/c/d'") as caught:
        api.run("a/b/c/d")

    assert isinstance(caught.value, InvalidPathError)
    assert isinstance(caught.value, WandbClientError)
    assert fake_server.calls == []


def test_run_id_alone_needs_a_default_project(api: Api, fake_server: FakeServer) -> None:
    with pytest.raises(InvalidPathError, match=r"'abc123'.*missing project"):
        api.run("abc123")
    assert fake_server.calls == []


def test_missing_entity_is_reported(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("GetDefaultEntity", {"viewer": None})

    with pytest.raises(InvalidPathError, match=r"'proj/abc'.*missing entity"):
        api.run("proj/abc")
    with pytest.raises(InvalidPathError, match="missing entity"):
        api.runs("proj")
    with pytest.raises(UsageError, match="entity"):
        api.projects()


def test_missing_run_raises_not_found(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("Run", {"project": {"run": None}})

    with pytest.raises(NotFoundError, match="Could not find run e/p/nope") as caught:
        api.run("e/p/nope")
    assert isinstance(caught.value, ValueError)


def test_missing_project_of_run_raises_not_found(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("Run", {"project": None})

    with pytest.raises(NotFoundError, match="e/nope/r1"):
        api.run("e/nope/r1")


# The run cache.


def test_run_objects_are_cached_by_path(api: Api, fake_server: FakeServer) -> None:
    serve_runs(fake_server)

    first = api.run("e/p/r1")
    assert api.run("e/p/r1") is first
    assert api.run("e/p/runs/r1") is first
    assert api.run("e/p/r2") is not first
    assert fake_server.operations() == ["Run", "Run"]


def test_flush_forgets_cached_runs(api: Api, fake_server: FakeServer) -> None:
    serve_runs(fake_server)
    first = api.run("e/p/r1")

    api.flush()

    assert api.run("e/p/r1") is not first
    assert fake_server.operations() == ["Run", "Run"]


# per_page.


@pytest.mark.parametrize("per_page", [0, -1, 1001, 10**6, 2.5, "50", True, None])
def test_per_page_out_of_range_is_rejected(
    api: Api, fake_server: FakeServer, per_page: object
) -> None:
    with pytest.raises(ValueError, match="per_page"):
        api.runs("e/p", per_page=per_page)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="per_page"):
        api.projects("e", per_page=per_page)  # type: ignore[arg-type]
    assert fake_server.calls == []


@pytest.mark.parametrize("per_page", [1, 1000])
def test_per_page_bounds_are_accepted(api: Api, per_page: int) -> None:
    assert api.runs("e/p", per_page=per_page).per_page == per_page
    assert api.projects("e", per_page=per_page).per_page == per_page


def test_runs_path_defaults(api: Api, fake_server: FakeServer) -> None:
    runs = api.runs()

    assert (runs.entity, runs.project) == ("ent", "uncategorized")
    assert api.runs("proj").project == "proj"
    assert (api.runs("team/proj").entity, api.runs("team/proj").project) == ("team", "proj")
    assert fake_server.operations() == ["GetDefaultEntity"]


def test_runs_path_is_validated(api: Api) -> None:
    with pytest.raises(InvalidPathError, match="'a/b/c'"):
        api.runs("a/b/c")
