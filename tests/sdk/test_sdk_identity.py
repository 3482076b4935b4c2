"""Identity through the real SDK in open mode: the viewer follows the API key; users,
keys, teams and organizations as ``wandb.Api`` manages them; our client agrees."""

from __future__ import annotations

import pytest
import wandb

import client
from emulator import identity_admin
from fixtures.handle import EmulatorHandle


def _api(key: str) -> wandb.Api:
    return wandb.Api(api_key=key, timeout=15)


def test_the_viewer_and_default_entity_follow_the_key(wandb_env: EmulatorHandle) -> None:
    alice, bob = wandb_env.user("alice"), wandb_env.user("bob", email="bob@corp.example")
    for user in (alice, bob):
        viewer = _api(user.api_key).viewer
        assert (viewer.username, viewer.entity, viewer.email) == (
            user.username,
            user.entity,
            user.email,
        )
        assert viewer.api_keys == [user.api_key]
        assert viewer.teams == [user.entity]
        assert not viewer.admin
        assert _api(user.api_key).default_entity == user.entity
        with client.Api(base_url=wandb_env.url, api_key=user.api_key) as ours:
            assert ours.default_entity == user.entity
            assert ours.viewer.username == user.username
    # Open mode: the default key, and any key nobody registered, are the default user.
    for key in (wandb_env.api_key, "x" * 40):
        viewer = _api(key).viewer
        assert (viewer.username, viewer.admin) == (wandb_env.entity, True)


def test_generated_keys_work_until_deleted(wandb_env: EmulatorHandle) -> None:
    alice = wandb_env.user("alice")
    viewer = _api(alice.api_key).viewer
    new_key = viewer.generate_api_key(description="ci")
    assert new_key is not None and len(new_key) >= 40
    assert viewer.api_keys == [alice.api_key, new_key]
    assert _api(new_key).viewer.username == "alice"
    assert viewer.delete_api_key(new_key) is True
    assert [key.key for key in wandb_env.store.identity.api_keys("alice")] == [alice.api_key]
    # A deleted key is a stranger's: in open mode, the default user.
    assert _api(new_key).viewer.username == wandb_env.entity


def test_admins_create_and_find_users(wandb_env: EmulatorHandle) -> None:
    wandb_env.user("alice")
    admin = _api(wandb_env.api_key)
    carol = admin.create_user("carol@example.com", admin=False)
    assert (carol.username, carol.email, carol.admin) == ("carol", "carol@example.com", False)
    found = admin.user("carol")
    assert found is not None and found.email == "carol@example.com"
    assert admin.user("carol@example.com").username == "carol"
    assert admin.user("nobody") is None
    assert {user.username for user in admin.users("example.com")} >= {"alice", "carol"}
    assert admin.users("zzz") == []


def test_teams_members_invites_and_service_accounts(wandb_env: EmulatorHandle) -> None:
    alice, bob = wandb_env.user("alice"), wandb_env.user("bob")
    as_alice = _api(alice.api_key)
    team = as_alice.create_team("ml")
    assert [(m.username, m.admin, m.account_type) for m in team.members] == [
        ("alice", True, "USER")
    ]
    assert (team.isTeam, team.entityType, team.name) == (True, "team", "ml")
    assert team.invite("bob") is True
    assert team.invite("bob") is False  # already a member
    assert team.invite("nobody@example.com") is False  # no such user
    service = team.create_service_account("nightly CI")
    assert service is not None and service.account_type == "SERVICE"
    assert _api(service.apiKey).viewer.entity == "ml"
    team = as_alice.team("ml")
    assert [m.username for m in team.members] == ["alice", "bob", service.username]
    assert _api(bob.api_key).viewer.teams == ["bob", "ml"]
    bob_member = next(m for m in team.members if m.username == "bob")
    assert bob_member.delete() is True
    alice_member = next(m for m in as_alice.team("ml").members if m.username == "alice")
    assert alice_member.delete() is False  # a team keeps its last admin
    assert [m.username for m in as_alice.team("ml").members] == ["alice", service.username]
    assert _api(bob.api_key).viewer.teams == ["bob"]


def test_organizations_as_the_sdk_reads_them(wandb_env: EmulatorHandle) -> None:
    alice = wandb_env.user("alice")
    wandb_env.team("ml", members=[alice])
    identity_admin.add_org(wandb_env.store, {"name": "acme", "teams": ["ml"]})
    wandb_env.use(alice)
    as_alice = wandb.Api(timeout=15)
    assert as_alice.viewer.username == "alice"
    org = as_alice.organization("acme")
    assert (org.name, org.org_entity.name, org.org_entity.entity_type) == (
        "acme",
        "acme",
        "organization",
    )
    # With no name, the SDK infers it from the viewer's entity: alice is in acme by her team.
    assert as_alice.organization().name == "acme"
    with pytest.raises(wandb.errors.CommError, match="not found"):
        as_alice.organization("nope")


def test_seeded_team_runs_are_spread_over_members(wandb_env: EmulatorHandle) -> None:
    alice, bob = wandb_env.user("alice"), wandb_env.user("bob")
    wandb_env.seed(entity="ml", project="shared", runs=4, steps=3, members=[alice, bob])
    runs = _api(bob.api_key).runs("ml/shared")
    assert sorted(run.user.username for run in runs) == ["alice", "alice", "bob", "bob"]
    assert [m.username for m in _api(alice.api_key).team("ml").members] == ["alice", "bob"]
