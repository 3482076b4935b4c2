"""Users, keys, teams and organizations in the store: rules, bad input, old files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from emulator import identity_admin
from emulator.store import Store
from emulator.store.identity import (
    IdentityConflictError,
    IdentityError,
    UnknownIdentityError,
)
from emulator.store.store import DB_FILENAME


def test_duplicate_names_emails_and_keys_are_refused(store: Store) -> None:
    store.identity.create_user("alice", api_key="a" * 40)
    with pytest.raises(IdentityConflictError, match="user 'alice' already exists"):
        store.identity.create_user("alice")
    with pytest.raises(IdentityConflictError, match="email"):
        store.identity.create_user("alice2", email="ALICE@example.com")
    with pytest.raises(IdentityConflictError, match="already registered"):
        store.identity.create_user("bob", api_key="a" * 40)
    assert store.identity.user("bob") is None  # nothing half-written
    store.teams.create_team("ml", admin="alice")
    with pytest.raises(IdentityConflictError, match="taken by a team"):
        store.identity.create_user("ml")


@pytest.mark.parametrize(
    ("username", "key", "message"),
    [
        ("bob", "short", "5 characters, the SDK needs 40+"),
        ("bob", "b" * 39 + " ", "without spaces"),
        ("", None, "invalid user name"),
        ("a/b", None, "invalid user name"),
    ],
)
def test_invalid_names_and_keys_are_refused(
    store: Store, username: str, key: str | None, message: str
) -> None:
    with pytest.raises(IdentityError, match=message):
        store.identity.create_user(username, api_key=key)
    assert store.export()["users"] == []


def test_a_user_claims_the_unowned_entity_of_their_name(store: Store) -> None:
    store.projects.ensure_project("demo", "p")
    user, _ = store.identity.create_user("demo")
    assert user.entity == "demo"
    assert store.projects.project("demo", "p") is not None


def test_unknown_users_teams_and_orgs_are_named(store: Store) -> None:
    store.identity.create_user("alice")
    with pytest.raises(UnknownIdentityError, match="no user 'nobody'"):
        store.teams.create_team("ml", admin="nobody")
    store.teams.create_team("ml", admin="alice")
    with pytest.raises(UnknownIdentityError, match="no team 'nope'"):
        store.teams.add_member("nope", "alice")
    with pytest.raises(UnknownIdentityError, match="no team 'alice'"):  # a user's entity
        store.teams.add_member("alice", "alice")
    with pytest.raises(UnknownIdentityError, match="no organization 'acme'"):
        store.teams.add_org_team("acme", "ml")
    with pytest.raises(IdentityError, match="invalid role 'owner'"):
        store.teams.add_member("ml", "alice", "owner")


def test_a_team_keeps_its_last_admin(store: Store) -> None:
    for name in ("alice", "bob"):
        store.identity.create_user(name)
    store.teams.create_team("ml", admin="alice")
    store.teams.add_member("ml", "bob")
    with pytest.raises(IdentityConflictError, match="last admin of team 'ml'"):
        store.teams.remove_member("ml", "alice")
    store.teams.remove_member("ml", "bob")
    with pytest.raises(UnknownIdentityError, match="not a member"):
        store.teams.remove_member("ml", "bob")
    assert [member.user.username for member in store.teams.members("ml")] == ["alice"]


def test_a_team_with_a_bad_member_is_not_made_at_all(store: Store) -> None:
    store.identity.create_user("alice")
    with pytest.raises(UnknownIdentityError, match="no user 'ghost'"):
        identity_admin.add_team(store, {"name": "ml", "admin": "alice", "members": ["ghost"]})
    assert store.teams.entity("ml") is None
    with pytest.raises(IdentityError, match="unknown fields colour"):
        identity_admin.add_team(store, {"name": "ml", "admin": "alice", "colour": "red"})


def test_organizations_hold_teams_and_their_members(store: Store) -> None:
    for name in ("alice", "bob", "carol"):
        store.identity.create_user(name)
    identity_admin.add_team(store, {"name": "ml", "admin": "alice", "members": ["bob"]})
    identity_admin.add_org(store, {"name": "acme", "teams": ["ml"], "members": ["carol"]})
    assert [org.name for org in store.teams.organizations_of("bob")] == ["acme"]
    assert store.teams.entity("ml").organization == "acme"
    assert store.teams.entity("acme").type == "ORGANIZATION"
    with pytest.raises(IdentityConflictError, match="already belongs to organization 'acme'"):
        identity_admin.add_org(store, {"name": "other", "teams": ["ml"]})
    assert store.teams.organization("other") is None


def test_export_and_import_keep_identity(store: Store) -> None:
    store.identity.create_user("alice", api_key="a" * 40, admin=True)
    identity_admin.add_team(store, {"name": "ml", "admin": "alice"})
    identity_admin.add_org(store, {"name": "acme", "teams": ["ml"]})
    store.teams.create_service_account("ml", "ci")
    snapshot = store.export()
    assert {"api_keys", "team_members", "organizations", "organization_members"} <= set(snapshot)
    with Store() as other:
        other.load(snapshot)
        assert other.export() == snapshot
        assert other.identity.user_by_key("a" * 40).admin
        assert [m.role for m in other.teams.members("ml")] == ["admin", "service"]


def test_a_file_from_before_identity_opens_with_its_data(tmp_path: Path) -> None:
    with Store(tmp_path) as old:
        old.projects.ensure_user("ent")
        old.projects.ensure_project("ent", "p")
    conn = sqlite3.connect(tmp_path / DB_FILENAME)  # what version 1 wrote
    conn.executescript(
        "DROP TABLE api_keys; DROP TABLE team_members; DROP TABLE organization_members;"
        " DROP TABLE organizations; ALTER TABLE entities DROP COLUMN type;"
        " ALTER TABLE entities DROP COLUMN organization_id; ALTER TABLE users DROP COLUMN admin;"
        " ALTER TABLE users DROP COLUMN account_type; ALTER TABLE users DROP COLUMN created_at;"
        " PRAGMA user_version = 1;"
    )
    conn.close()
    with Store(tmp_path) as upgraded:
        assert upgraded.teams.entity("ent").type == "USER"
        user = upgraded.projects.user("ent")
        assert (user.admin, user.account_type) == (False, "USER")
        assert upgraded.projects.project("ent", "p") is not None
        upgraded.identity.add_api_key("ent", key="e" * 40)
        assert upgraded.identity.user_by_key("e" * 40).username == "ent"
