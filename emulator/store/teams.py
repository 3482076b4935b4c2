"""Teams, their members, and the organizations that hold teams and users.

A team is an entity of type ``TEAM`` with members in roles (``records.TEAM_ROLES``); a
team always keeps at least one admin. An organization has an entity of its own (type
``ORGANIZATION``, named like the organization), holds teams (``entities.organization_id``)
and has members; a user also counts as a member of the organizations of their teams.
"""

from __future__ import annotations

import sqlite3

from emulator.store.database import Database
from emulator.store.identity import (
    IdentityConflictError,
    IdentityError,
    IdentityStore,
    UnknownIdentityError,
    check_name,
    insert_user,
    new_key,
)
from emulator.store.projects import USER_SELECT, user_record
from emulator.store.records import TEAM_ROLES, ApiKey, Entity, Member, Organization, User
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    entity_id INTEGER NOT NULL UNIQUE REFERENCES entities(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS team_members (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (entity_id, user_id)
);
CREATE INDEX IF NOT EXISTS team_members_user ON team_members (user_id);
CREATE TABLE IF NOT EXISTS organization_members (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
"""
TABLES = ("organizations", "team_members", "organization_members")
#: Roles in an organization.
ORG_ROLES = ("admin", "member", "viewer")

_ENTITY_SELECT = (
    "SELECT e.id, e.name, e.type, o.name AS organization FROM entities e"
    " LEFT JOIN organizations o ON o.id = e.organization_id"
)
_ORG_SELECT = (
    "SELECT o.id, o.name, e.name AS entity, o.created_at FROM organizations o"
    " JOIN entities e ON e.id = o.entity_id"
)


def _check_role(role: str, roles: tuple[str, ...]) -> str:
    if role not in roles:
        raise IdentityError(f"invalid role {role!r}; expected one of {', '.join(roles)}")
    return role


class TeamStore:
    """Reads and writes teams, memberships and organizations."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Entities

    def entity(self, name: str) -> Entity | None:
        """Entity ``name`` with its type and organization, or ``None``."""
        row = self._db.one(_ENTITY_SELECT + " WHERE e.name = ?", (name,))
        return None if row is None else Entity(**dict(row))

    def entity_by_id(self, entity_id: int) -> Entity | None:
        """The entity with storage id ``entity_id``, or ``None``."""
        row = self._db.one(_ENTITY_SELECT + " WHERE e.id = ?", (entity_id,))
        return None if row is None else Entity(**dict(row))

    def _team(self, name: str) -> Entity:
        team = self.entity(name)
        if team is None or team.type != "TEAM":
            raise UnknownIdentityError(f"no team {name!r}")
        return team

    # Teams

    def create_team(self, name: str, *, admin: str, organization: str | None = None) -> Entity:
        """Create team ``name`` with ``admin`` as its first admin, in ``organization``."""
        check_name("team", name)
        with self._db.transaction() as conn:
            if self.entity(name) is not None:
                raise IdentityConflictError(f"entity name {name!r} is already taken")
            user = _user(self._db, admin)
            org = None if organization is None else self._organization(organization)
            cursor = conn.execute(
                "INSERT INTO entities (name, type, organization_id) VALUES (?, 'TEAM', ?)",
                (name, None if org is None else org.id),
            )
            _insert_member(conn, cursor.lastrowid, user.id, "admin")
            if org is not None:
                self._join_org(conn, org, user, "member")
        return self._team(name)

    def add_member(self, team: str, username: str, role: str = "member") -> Member:
        """Make ``username`` a member of ``team`` in ``role``."""
        _check_role(role, TEAM_ROLES)
        with self._db.transaction() as conn:
            entity = self._team(team)
            user = _user(self._db, username)
            if self.role(team, username) is not None:
                raise IdentityConflictError(f"user {username!r} is already a member of {team!r}")
            _insert_member(conn, entity.id, user.id, role)
            org = None if entity.organization is None else self._organization(entity.organization)
            if org is not None:
                self._join_org(conn, org, user, "member")
        return Member(user, role)

    def remove_member(self, team: str, username: str) -> None:
        """Remove ``username`` from ``team``; a team's last admin cannot leave."""
        with self._db.transaction() as conn:
            entity = self._team(team)
            role = self.role(team, username)
            if role is None:
                raise UnknownIdentityError(f"user {username!r} is not a member of {team!r}")
            admins = conn.execute(
                "SELECT count(*) FROM team_members WHERE entity_id = ? AND role = 'admin'",
                (entity.id,),
            ).fetchone()[0]
            if role == "admin" and admins == 1:
                raise IdentityConflictError(
                    f"cannot remove {username!r}: the last admin of team {team!r}"
                )
            conn.execute(
                "DELETE FROM team_members WHERE entity_id = ?"
                " AND user_id = (SELECT id FROM users WHERE username = ?)",
                (entity.id, username),
            )

    def members(self, team: str) -> list[Member]:
        """The members of ``team`` in the order they joined (none for other entities)."""
        rows = self._db.execute(
            USER_SELECT + ", team_members m, entities t WHERE m.user_id = u.id"
            " AND t.id = m.entity_id AND t.name = ? ORDER BY m.rowid",
            (team,),
        )
        roles = dict(
            self._db.tuples(
                "SELECT m.user_id, m.role FROM team_members m JOIN entities t"
                " ON t.id = m.entity_id WHERE t.name = ?",
                (team,),
            )
        )
        return [Member(user, roles[user.id]) for user in map(user_record, rows)]

    def teams_of(self, username: str) -> list[str]:
        """Names of the teams ``username`` belongs to, in the order they joined."""
        rows = self._db.tuples(
            "SELECT t.name FROM team_members m JOIN entities t ON t.id = m.entity_id"
            " JOIN users u ON u.id = m.user_id WHERE u.username = ? ORDER BY m.rowid",
            (username,),
        )
        return [row[0] for row in rows]

    def role(self, team: str, username: str) -> str | None:
        """The role of ``username`` in ``team``, or ``None`` when not a member."""
        row = self._db.one(
            "SELECT m.role FROM team_members m JOIN entities t ON t.id = m.entity_id"
            " JOIN users u ON u.id = m.user_id WHERE t.name = ? AND u.username = ?",
            (team, username),
        )
        return None if row is None else str(row[0])

    def create_service_account(self, team: str, description: str) -> tuple[User, ApiKey]:
        """A service account of ``team`` (a user whose entity is the team) with a new key."""
        with self._db.transaction() as conn:
            entity = self._team(team)
            number = (
                1
                + conn.execute(
                    "SELECT count(*) FROM users WHERE account_type = 'SERVICE' AND entity_id = ?",
                    (entity.id,),
                ).fetchone()[0]
            )
            username = f"{team}-service-{number}"
            while self._db.one("SELECT 1 FROM users WHERE username = ?", (username,)):
                number += 1
                username = f"{team}-service-{number}"
            user_id = insert_user(
                conn,
                entity.id,
                username,
                name=description or username,
                email=None,
                account_type="SERVICE",
            )
            _insert_member(conn, entity.id, user_id, "service")
            key = IdentityStore(self._db).add_api_key(
                username, key=new_key(), description=description
            )
        user = _user(self._db, username)
        return user, key

    # Organizations

    def create_organization(self, name: str) -> Organization:
        """Create organization ``name`` with an entity of the same name."""
        check_name("organization", name)
        with self._db.transaction() as conn:
            if self.organization(name) is not None:
                raise IdentityConflictError(f"organization {name!r} already exists")
            if self.entity(name) is not None:
                raise IdentityConflictError(f"entity name {name!r} is already taken")
            cursor = conn.execute(
                "INSERT INTO entities (name, type) VALUES (?, 'ORGANIZATION')", (name,)
            )
            conn.execute(
                "INSERT INTO organizations (name, entity_id, created_at) VALUES (?, ?, ?)",
                (name, cursor.lastrowid, utc_now()),
            )
        return self._organization(name)

    def add_org_member(self, organization: str, username: str, role: str = "member") -> None:
        """Make ``username`` a member of ``organization`` in ``role``."""
        _check_role(role, ORG_ROLES)
        with self._db.transaction() as conn:
            org = self._organization(organization)
            user = _user(self._db, username)
            if conn.execute(
                "SELECT 1 FROM organization_members WHERE organization_id = ? AND user_id = ?",
                (org.id, user.id),
            ).fetchone():
                raise IdentityConflictError(
                    f"user {username!r} is already a member of organization {organization!r}"
                )
            self._join_org(conn, org, user, role)

    def add_org_team(self, organization: str, team: str) -> None:
        """Move ``team`` (with its members) into ``organization``; a team has one."""
        with self._db.transaction() as conn:
            org = self._organization(organization)
            entity = self._team(team)
            if entity.organization is not None:
                raise IdentityConflictError(
                    f"team {team!r} already belongs to organization {entity.organization!r}"
                )
            conn.execute(
                "UPDATE entities SET organization_id = ? WHERE id = ?", (org.id, entity.id)
            )
            for member in self.members(team):
                self._join_org(conn, org, member.user, "member")

    def organization(self, name: str) -> Organization | None:
        """Organization ``name``, or ``None``."""
        row = self._db.one(_ORG_SELECT + " WHERE o.name = ?", (name,))
        return None if row is None else Organization(**dict(row))

    def organization_of(self, entity: str) -> Organization | None:
        """The organization a team (or an organization's own entity) belongs to."""
        row = self._db.one(
            _ORG_SELECT + " WHERE o.id = (SELECT organization_id FROM entities WHERE name = ?)"
            " OR e.name = ?",
            (entity, entity),
        )
        return None if row is None else Organization(**dict(row))

    def organizations_of(self, username: str) -> list[Organization]:
        """The organizations ``username`` is a member of, oldest first."""
        rows = self._db.execute(
            _ORG_SELECT + " WHERE o.id IN (SELECT m.organization_id FROM organization_members m"
            " JOIN users u ON u.id = m.user_id WHERE u.username = ?) ORDER BY o.id",
            (username,),
        )
        return [Organization(**dict(row)) for row in rows]

    def teams_in(self, organization: str) -> list[Entity]:
        """The teams of ``organization``, oldest first."""
        rows = self._db.execute(
            _ENTITY_SELECT + " WHERE e.type = 'TEAM' AND o.name = ? ORDER BY e.id", (organization,)
        )
        return [Entity(**dict(row)) for row in rows]

    def _organization(self, name: str) -> Organization:
        org = self.organization(name)
        if org is None:
            raise UnknownIdentityError(f"no organization {name!r}")
        return org

    @staticmethod
    def _join_org(conn: sqlite3.Connection, org: Organization, user: User, role: str) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO organization_members (organization_id, user_id, role)"
            " VALUES (?, ?, ?)",
            (org.id, user.id, role),
        )


def _user(db: Database, username: str) -> User:
    row = db.one(USER_SELECT + " WHERE u.username = ?", (username,))
    if row is None:
        raise UnknownIdentityError(f"no user {username!r}")
    return user_record(row)


def _insert_member(
    conn: sqlite3.Connection, entity_id: int | None, user_id: int, role: str
) -> None:
    conn.execute(
        "INSERT INTO team_members (entity_id, user_id, role) VALUES (?, ?, ?)",
        (entity_id, user_id, role),
    )
