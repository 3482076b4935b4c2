"""Organization registries: the projects ``wandb-registry-<name>`` of an organization's
entity, their collections (portfolios) and the versions linked into them.

The names, arguments and answers follow ``wandb.apis.public``'s ``Registry`` and
``Registries``; the GraphQL documents are the SDK's (``FetchRegistry``, ``UpsertRegistry``...).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from client._organizations import REGISTRY_PREFIX
from client._paginator import ConnectionPaginator
from client._session import Session
from client.artifact_collections import ArtifactCollection
from client.artifacts import Artifact
from client.errors import NotFoundError, UsageError
from client.registry_members import Member, Role, TeamMember, UserMember, member_id, member_ids
from client.teams import Team
from client.users import User

T = TypeVar("T")

Visibility = Literal["organization", "restricted"]

#: The SDK's visibility names and the server's ``access`` values.
_ACCESS: dict[str, str] = {"organization": "PRIVATE", "restricted": "RESTRICTED"}


def access_of(visibility: str) -> str:
    """The server's ``access`` for ``visibility`` (``organization`` or ``restricted``).

    Raises:
        UsageError: naming the visibility when it is neither.
    """
    if visibility not in _ACCESS:
        raise UsageError(
            f"invalid visibility {visibility!r}: expected 'organization' or 'restricted'"
        )
    return _ACCESS[visibility]


def _visibility(access: str | None) -> Visibility:
    # As the SDK: RESTRICTED is restricted, anything else (PRIVATE, legacy levels) organization.
    return "restricted" if access == "RESTRICTED" else "organization"


def _prefixed(filter: Mapping[str, Any] | None) -> str | None:
    """The registry filter as JSON, plain registry names given the registry prefix (as
    the SDK does; ``$regex`` patterns are sent unchanged)."""
    if not filter:
        return None

    def prefix(value: Any) -> Any:
        if isinstance(value, str):
            return value if value.startswith(REGISTRY_PREFIX) else REGISTRY_PREFIX + value
        if isinstance(value, list):
            return [prefix(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k == "$regex" else prefix(v) for k, v in value.items()}
        return value

    return json.dumps({k: prefix(v) if k == "name" else v for k, v in filter.items()})


def _json(filter: Mapping[str, Any] | None) -> str | None:
    return json.dumps(dict(filter)) if filter else None


class Registry:
    """One registry of an organization, as :meth:`client.Api.registry` reads it.

    Change :attr:`name`, :attr:`description`, :attr:`visibility`,
    :attr:`allow_all_artifact_types` or append to :attr:`artifact_types`, then :meth:`save`.
    """

    def __init__(self, session: Session, organization: str, attrs: Mapping[str, Any]) -> None:
        self._session = session
        self.organization = organization
        self._load(attrs)

    def _load(self, attrs: Mapping[str, Any]) -> None:
        self._attrs = dict(attrs)
        self._saved_full_name: str = attrs["name"]
        self.name: str = self._saved_full_name.removeprefix(REGISTRY_PREFIX)
        self.description: str | None = attrs.get("description")
        self.visibility: Visibility = _visibility(attrs.get("access"))
        self.allow_all_artifact_types: bool = bool(attrs["allowAllArtifactTypesInRegistry"])
        edges = (attrs.get("artifactTypes") or {}).get("edges") or []
        self._saved_types = [edge["node"]["name"] for edge in edges]
        self.artifact_types: list[str] = list(self._saved_types)

    def _scope(self) -> _Scope:
        return _Scope(self._session, self.organization, {"name": self._saved_full_name})

    @property
    def id(self) -> str:
        """The server's id of the registry's project."""
        return str(self._attrs["id"])

    @property
    def full_name(self) -> str:
        """The registry's project name, ``wandb-registry-<name>``."""
        return REGISTRY_PREFIX + self.name

    @property
    def entity(self) -> str:
        """The organization's entity, which holds the registry."""
        return str(self._attrs["entity"]["name"])

    @property
    def path(self) -> list[str]:
        """``[entity, full_name]``."""
        return [self.entity, self.full_name]

    @property
    def created_at(self) -> str:
        """When the registry was created."""
        return str(self._attrs["createdAt"])

    @property
    def updated_at(self) -> str | None:
        """When the registry was last changed."""
        updated: str | None = self._attrs.get("updatedAt")
        return updated

    def collections(
        self,
        filter: Mapping[str, Any] | None = None,
        order: str | None = None,
        per_page: int = 100,
    ) -> ConnectionPaginator[ArtifactCollection]:
        """The registry's collections matching ``filter`` (W&B's registry search fields)."""
        return self._scope().collections(filter, order, per_page)

    def versions(
        self,
        filter: Mapping[str, Any] | None = None,
        order: str | None = None,
        per_page: int = 100,
    ) -> ConnectionPaginator[Artifact]:
        """The versions linked into the registry's collections, matching ``filter``."""
        return self._scope().versions(filter, order, per_page)

    def save(self) -> None:
        """Send the changes: description, visibility, types (saved types cannot be
        removed), then the name.

        Raises:
            UsageError: if a saved type was removed, or types were added while all
                types are allowed.
        """
        added = [t for t in self.artifact_types if t not in self._saved_types]
        if any(t not in self.artifact_types for t in self._saved_types):
            raise UsageError(f"registry {self.name!r}: saved artifact types cannot be removed")
        if added and self.allow_all_artifact_types:
            raise UsageError("cannot add artifact types while allow_all_artifact_types is True")
        data = self._session.graphql.execute(
            "UpsertRegistry",
            {
                "input": {
                    "description": self.description,
                    "entityName": self.entity,
                    "name": self._saved_full_name,
                    "access": access_of(self.visibility),
                    "allowAllArtifactTypesInRegistry": self.allow_all_artifact_types,
                    "artifactTypes": [{"name": t} for t in added] or None,
                }
            },
        )
        new_name, project = self.full_name, data["upsertModel"]["project"]
        if new_name != self._saved_full_name:
            data = self._session.graphql.execute(
                "RenameRegistry",
                {
                    "input": {
                        "entityName": self.entity,
                        "oldProjectName": self._saved_full_name,
                        "newProjectName": new_name,
                    }
                },
            )
            project = data["renameProject"]["project"]
        self._load(project)

    def delete(self) -> None:
        """Delete the registry with its collections and links. This is irreversible."""
        self._session.graphql.execute("DeleteRegistry", {"id": self.id})

    def _members_of(self, operation: str, field: str) -> list[dict[str, Any]]:
        variables = {"project": self._saved_full_name, "entity": self.entity}
        project = self._session.graphql.execute(operation, variables).get("project")
        if project is None:
            raise NotFoundError(f"registry {self.name!r} not found")
        members: list[dict[str, Any]] = project[field]
        return members

    def members(self) -> list[UserMember | TeamMember]:
        """The registry's members: its users, then its teams."""
        return [*self.user_members(), *self.team_members()]

    def user_members(self) -> list[UserMember]:
        """The registry's users with their roles."""
        return [
            UserMember(
                User(m.get("name"), m.get("username"), m.get("id"), m.get("email")),
                m["role"]["name"],
            )
            for m in self._members_of("RegistryUserMembers", "members")
        ]

    def team_members(self) -> list[TeamMember]:
        """The registry's teams with their roles."""
        return [
            TeamMember(Team.from_wire(m["team"]), m["role"]["name"])
            for m in self._members_of("RegistryTeamMembers", "teamMembers")
        ]

    def _change_members(self, operation: str, members: tuple[Member, ...]) -> Registry:
        users, teams = member_ids(members)
        variables = {"projectId": self.id, "userIds": users, "teamIds": teams}
        self._session.graphql.execute(operation, {"input": variables})
        return self

    def add_members(self, *members: Member) -> Registry:
        """Add users and teams (objects with an ``id``, members, or ids) in their default
        roles; returns this registry.

        Raises:
            UsageError: when no member is given, or one has no user or team id.
        """
        return self._change_members("CreateRegistryMembers", members)

    def remove_members(self, *members: Member) -> Registry:
        """Remove users and teams (as :meth:`add_members` takes them); returns this registry."""
        return self._change_members("DeleteRegistryMembers", members)

    def update_member(self, member: Member, role: Role | str) -> Registry:
        """Give a member (user or team) ``role``: ``admin``, ``member``, ``viewer`` or
        ``restricted_viewer``; returns this registry."""
        kind, value = member_id(member)
        if kind == "User":
            variables = {"projectId": self.id, "userId": value, "userProjectRole": role}
            self._session.graphql.execute("UpdateUserRegistryRole", {"input": variables})
        else:
            variables = {"projectId": self.id, "teamId": value, "teamProjectRole": role}
            self._session.graphql.execute("UpdateTeamRegistryRole", {"input": variables})
        return self

    def __repr__(self) -> str:
        return f"<Registry {self.entity}/{self.full_name}>"


class Registries(ConnectionPaginator[Registry]):
    """An organization's registries matching a filter; :meth:`collections` and
    :meth:`versions` search inside them."""

    def __init__(
        self,
        session: Session,
        organization: str,
        filter: Mapping[str, Any] | None = None,
        order: str | None = None,
        per_page: int = 100,
    ) -> None:
        super().__init__(
            session,
            "FetchRegistries",
            {"organization": organization, "filters": _prefixed(filter), "order": order},
            ("organization", "orgEntity", "projects"),
            lambda node: Registry(session, organization, node),
            per_page,
        )
        self._organization, self._filter = organization, filter

    def _not_found(self) -> NotFoundError:
        return NotFoundError(f"organization {self._organization!r} not found")

    def collections(
        self,
        filter: Mapping[str, Any] | None = None,
        order: str | None = None,
        per_page: int = 100,
    ) -> ConnectionPaginator[ArtifactCollection]:
        """The collections of these registries matching ``filter``."""
        return _Scope(self._session, self._organization, self._filter).collections(
            filter, order, per_page
        )

    def versions(
        self,
        filter: Mapping[str, Any] | None = None,
        order: str | None = None,
        per_page: int = 100,
    ) -> ConnectionPaginator[Artifact]:
        """The versions linked into these registries' collections, matching ``filter``."""
        return _Scope(self._session, self._organization, self._filter).versions(
            filter, order, per_page
        )


def _collection(session: Session, node: Mapping[str, Any]) -> ArtifactCollection:
    project = node["project"]
    return ArtifactCollection(session, project["entity"]["name"], project["name"], node)


def _version(session: Session, membership: Mapping[str, Any]) -> Artifact:
    name = f"{membership['artifactCollection']['name']}:v{membership['versionIndex']}"
    return Artifact.from_membership(session, membership, name)


@dataclass(frozen=True)
class _Scope:
    """The registries of an organization matching a filter, searched for collections
    (portfolios) and the versions linked into them."""

    session: Session
    organization: str
    registry_filter: Mapping[str, Any] | None

    def _search(
        self,
        operation: str,
        field: str,
        filter_variable: str,
        filter: Mapping[str, Any] | None,
        order: str | None,
        per_page: int,
        convert: Callable[[Session, dict[str, Any]], T],
    ) -> ConnectionPaginator[T]:
        return ConnectionPaginator(
            self.session,
            operation,
            {
                "organization": self.organization,
                "registryFilter": _prefixed(self.registry_filter),
                filter_variable: _json(filter),
                "order": order,
            },
            ("organization", "orgEntity", field),
            lambda node: convert(self.session, node),
            per_page,
        )

    def collections(
        self, filter: Mapping[str, Any] | None, order: str | None, per_page: int
    ) -> ConnectionPaginator[ArtifactCollection]:
        return self._search(
            "RegistryCollections",
            "artifactCollections",
            "collectionFilter",
            filter,
            order,
            per_page,
            _collection,
        )

    def versions(
        self, filter: Mapping[str, Any] | None, order: str | None, per_page: int
    ) -> ConnectionPaginator[Artifact]:
        return self._search(
            "RegistryVersions",
            "artifactMemberships",
            "artifactFilter",
            filter,
            order,
            per_page,
            _version,
        )
