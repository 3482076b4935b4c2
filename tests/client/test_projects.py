"""Project (lazy) and Projects (paged by pageInfo.endCursor)."""

from __future__ import annotations

from typing import Any

import pytest
from client_fakes import BASE_URL, FakeServer

from client import Api, NotFoundError, Project, User


def project_node(name: str, entity: str = "ent") -> dict[str, Any]:
    return {
        "id": f"project-{name}",
        "name": name,
        "entityName": entity,
        "createdAt": "2026-01-01T00:00:00",
        "isBenchmark": False,
        "user": {"name": "Test User", "username": entity},
    }


def test_project_is_loaded_on_first_attribute_access(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("GetProject", {"project": project_node("proj", "team")})
    project = api.project("proj", entity="team")

    assert (project.name, project.entity, project.path) == ("proj", "team", ["team", "proj"])
    assert project.url == f"{BASE_URL}/team/proj/workspace"
    assert repr(project) == "<Project team/proj>"
    assert fake_server.calls == []

    assert project.id == "project-proj"
    assert project.created_at == "2026-01-01T00:00:00"
    assert project.is_benchmark is False
    assert project.owner == User(name="Test User", username="team")
    assert fake_server.operations() == ["GetProject"]
    assert fake_server.calls[0].variables == {"name": "proj", "entity": "team"}


def test_project_uses_the_default_entity(api: Api, fake_server: FakeServer) -> None:
    assert api.project("proj").entity == "ent"
    assert fake_server.operations() == ["GetDefaultEntity"]


def test_missing_project_raises_not_found(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("GetProject", {"project": None})
    project = api.project("nope", entity="team")

    with pytest.raises(NotFoundError, match="Could not find project team/nope") as caught:
        project.id  # noqa: B018
    assert isinstance(caught.value, ValueError)


def test_project_to_html(api: Api) -> None:
    html = api.project("proj", entity="team").to_html(hidden=True)

    assert f"src='{BASE_URL}/team/proj/workspace?jupyter=true'" in html
    assert "Display W&B project" in html


def test_projects_page_by_end_cursor(api: Api, fake_server: FakeServer) -> None:
    names = [f"p{index}" for index in range(5)]

    def handle(variables: dict[str, Any]) -> dict[str, Any]:
        start = 0 if variables["cursor"] is None else int(variables["cursor"][3:])
        page = names[start : start + variables["perPage"]]
        end = start + len(page)
        return {
            "models": {
                "pageInfo": {"endCursor": f"end{end}", "hasNextPage": end < len(names)},
                "edges": [{"node": project_node(name, "team")} for name in page],
            }
        }

    fake_server.on("GetProjects", handle)
    projects = api.projects("team", per_page=2)
    assert fake_server.calls == []
    assert repr(projects) == "<Projects team>"

    listed = list(projects)

    assert [project.name for project in listed] == names
    assert all(isinstance(project, Project) for project in listed)
    assert [call.variables for call in fake_server.calls] == [
        {"entity": "team", "cursor": None, "perPage": 2},
        {"entity": "team", "cursor": "end2", "perPage": 2},
        {"entity": "team", "cursor": "end4", "perPage": 2},
    ]
    assert listed[0].id == "project-p0"
    assert len(fake_server.calls) == 3


def test_projects_default_page_size_and_entity(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply(
        "GetProjects",
        {"models": {"pageInfo": {"endCursor": None, "hasNextPage": False}, "edges": []}},
    )

    assert list(api.projects()) == []
    assert fake_server.calls[-1].variables == {"entity": "ent", "cursor": None, "perPage": 200}


def test_unknown_entity_raises_not_found(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("GetProjects", {"models": None})

    with pytest.raises(NotFoundError, match="team"):
        list(api.projects("team"))
