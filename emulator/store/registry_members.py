"""The members of organization registries: users and teams, each in a registry role.

Roles follow W&B's registry roles, lowest first: ``restricted_viewer``, ``viewer``,
``member``, ``admin``. A user's role in a registry is the highest of their own and
their teams' (W&B applies the most permissive), and an admin of the registry's
organization is always an admin. Whoever creates a registry becomes its admin
(:meth:`RegistryMemberStore.add_admin`).

W&B's default roles when a member is added: a team and a user are viewers, a service
account is a member, an organization admin is an admin. Adding someone who is already a
member keeps their role. Service accounts cannot be viewers or restricted viewers.
"""

from __future__ import annotations

from collections.abc import Sequence

from emulator.store.database import Database
from emulator.store.projects import USER_SELECT, user_record
from emulator.store.records import Entity, User
from emulator.store.registries import Registry, RegistryError

SCHEMA = """
CREATE TABLE IF NOT EXISTS registry_user_members (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE TABLE IF NOT EXISTS registry_team_members (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (project_id, entity_id)
);
"""
TABLES = ("registry_user_members", "registry_team_members")
#: W&B's registry roles, lowest first.
REGISTRY_ROLES = ("restricted_viewer", "viewer", "member", "admin")
#: The table and member column of each kind of member (names, never user input).
_MEMBER_TABLES = {
    "user": ("registry_user_members", "user_id"),
    "team": ("registry_team_members", "entity_id"),
}
#: Roles a service account cannot have.
_VIEWER_ROLES = frozenset({"restricted_viewer", "viewer"})


def role_rank(role: str | None) -> int:
    """How much ``role`` may do: -1 for none, then the index in :data:`REGISTRY_ROLES`."""
    return -1 if role is None else REGISTRY_ROLES.index(role)


class RegistryMemberStore:
    """Reads and changes who belongs to a registry, and in which role."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def users(self, registry: Registry) -> list[tuple[User, str]]:
        """The registry's user members with their roles, in the order they were added."""
        query = " JOIN registry_user_members m ON m.user_id = u.id WHERE m.project_id = ?"
        rows = self._db.execute(USER_SELECT + query + " ORDER BY m.rowid", (registry.project.id,))
        roles = dict(
            self._db.tuples(
                "SELECT user_id, role FROM registry_user_members WHERE project_id = ?",
                (registry.project.id,),
            )
        )
        return [(user, str(roles[user.id])) for user in map(user_record, rows)]

    def teams(self, registry: Registry) -> list[tuple[Entity, str]]:
        """The registry's team members with their roles, in the order they were added."""
        rows = self._db.execute(
            "SELECT e.id, e.name, e.type, o.name AS organization, m.role"
            " FROM registry_team_members m JOIN entities e ON e.id = m.entity_id"
            " LEFT JOIN organizations o ON o.id = e.organization_id"
            " WHERE m.project_id = ? ORDER BY m.rowid",
            (registry.project.id,),
        )
        return [(Entity(row[0], row[1], row[2], row[3]), str(row[4])) for row in rows]

    def add_admin(self, registry: Registry, username: str) -> None:
        """Make ``username`` an admin of the registry (its creator is one)."""
        user = self._user(username)
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO registry_user_members (project_id, user_id, role)"
                " VALUES (?, ?, 'admin')",
                (registry.project.id, user.id),
            )

    def add(
        self, registry: Registry, usernames: Sequence[str] = (), teams: Sequence[str] = ()
    ) -> None:
        """Add users and teams in their default roles; members already there keep theirs.

        RegistryError, before anything is written, for an unknown user or team.
        """
        users = [self._user(name) for name in usernames]
        entities = [self._team(name) for name in teams]
        project_id = registry.project.id
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO registry_user_members (project_id, user_id, role)"
                " VALUES (?, ?, ?)",
                [(project_id, user.id, self._default_role(registry, user)) for user in users],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO registry_team_members (project_id, entity_id, role)"
                " VALUES (?, ?, 'viewer')",
                [(project_id, entity.id) for entity in entities],
            )

    def remove(
        self, registry: Registry, usernames: Sequence[str] = (), teams: Sequence[str] = ()
    ) -> None:
        """Remove users and teams; RegistryError, removing nothing, if one is no member."""
        users = [self._member_user(registry, name) for name in usernames]
        entities = [self._member_team(registry, name) for name in teams]
        project_id = registry.project.id
        with self._db.transaction() as conn:
            conn.executemany(
                "DELETE FROM registry_user_members WHERE project_id = ? AND user_id = ?",
                [(project_id, user.id) for user in users],
            )
            conn.executemany(
                "DELETE FROM registry_team_members WHERE project_id = ? AND entity_id = ?",
                [(project_id, entity.id) for entity in entities],
            )

    def set_user_role(self, registry: Registry, username: str, role: str) -> None:
        """Give member ``username`` the registry role ``role``."""
        _check_role(role)
        user = self._member_user(registry, username)
        if user.account_type == "SERVICE" and role in _VIEWER_ROLES:
            raise RegistryError(
                f"service account {username!r} cannot have the registry role {role!r}"
            )
        self._set_role(registry, "user", user.id, role)

    def set_team_role(self, registry: Registry, team: str, role: str) -> None:
        """Give member team ``team`` the registry role ``role``."""
        _check_role(role)
        self._set_role(registry, "team", self._member_team(registry, team).id, role)

    def role_of(self, registry: Registry, username: str) -> str | None:
        """``username``'s role in the registry: the highest of their own, their teams' and
        ``admin`` for an admin of its organization; ``None`` when they have none."""
        rows = self._db.tuples(
            "SELECT m.role FROM registry_user_members m JOIN users u ON u.id = m.user_id"
            " WHERE m.project_id = ? AND u.username = ?"
            " UNION ALL SELECT r.role FROM registry_team_members r"
            " JOIN team_members t ON t.entity_id = r.entity_id JOIN users u ON u.id = t.user_id"
            " WHERE r.project_id = ? AND u.username = ?"
            " UNION ALL SELECT 'admin' FROM organization_members m"
            " JOIN organizations o ON o.id = m.organization_id"
            " JOIN entities e ON e.id = o.entity_id JOIN users u ON u.id = m.user_id"
            " WHERE e.name = ? AND u.username = ? AND m.role = 'admin'",
            (registry.project.id, username) * 2 + (registry.project.entity, username),
        )
        return max((str(row[0]) for row in rows), key=role_rank, default=None)

    def _default_role(self, registry: Registry, user: User) -> str:
        if user.account_type == "SERVICE":
            return "member"
        admin = self._db.one(
            "SELECT 1 FROM organization_members m JOIN organizations o"
            " ON o.id = m.organization_id JOIN entities e ON e.id = o.entity_id"
            " WHERE e.name = ? AND m.user_id = ? AND m.role = 'admin'",
            (registry.project.entity, user.id),
        )
        return "admin" if admin else "viewer"

    def _user(self, username: str) -> User:
        row = self._db.one(USER_SELECT + " WHERE u.username = ?", (username,))
        if row is None:
            raise RegistryError(f"no user {username!r}")
        return user_record(row)

    def _team(self, name: str) -> Entity:
        row = self._db.one("SELECT id, name, type FROM entities WHERE name = ?", (name,))
        if row is None or row["type"] != "TEAM":
            raise RegistryError(f"no team {name!r}")
        return Entity(row["id"], row["name"], row["type"])

    def _member_user(self, registry: Registry, username: str) -> User:
        user = self._user(username)
        self._check_member(registry, "user", username, user.id)
        return user

    def _member_team(self, registry: Registry, team: str) -> Entity:
        entity = self._team(team)
        self._check_member(registry, "team", team, entity.id)
        return entity

    def _check_member(self, registry: Registry, kind: str, name: str, key: int) -> None:
        table, column = _MEMBER_TABLES[kind]
        found = self._db.one(
            f"SELECT 1 FROM {table} WHERE project_id = ? AND {column} = ?",
            (registry.project.id, key),
        )
        if found is None:
            raise RegistryError(f"{kind} {name!r} is not a member of registry {registry.name!r}")

    def _set_role(self, registry: Registry, kind: str, key: int, role: str) -> None:
        table, column = _MEMBER_TABLES[kind]
        with self._db.transaction() as conn:
            conn.execute(
                f"UPDATE {table} SET role = ? WHERE project_id = ? AND {column} = ?",
                (role, registry.project.id, key),
            )


def _check_role(role: str) -> None:
    if role not in REGISTRY_ROLES:
        raise RegistryError(
            f"invalid registry role {role!r}; expected one of {', '.join(REGISTRY_ROLES)}"
        )
