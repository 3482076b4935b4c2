"""Our client's registry members against the emulator: the SDK's calls and argument
shapes (users, teams, members, ids), and the errors for bad input."""

from __future__ import annotations

import pytest

from client import Api, CommError, NotFoundError, Team, TeamMember, UsageError, UserMember
from emulator import identity_admin
from fixtures.handle import EmulatorHandle
from fixtures.identity import ensure_team


def _roles(members: list[UserMember | TeamMember]) -> list[tuple[str | None, str]]:
    return [
        (m.user.username, m.role) if isinstance(m, UserMember) else (m.team.name, m.role)
        for m in members
    ]


def test_members_are_added_updated_and_removed(wandb_emulator: EmulatorHandle) -> None:
    alice = wandb_emulator.user("alice")
    wandb_emulator.user("bob", email="bob@example.com")
    ensure_team(wandb_emulator.store, "ml", ["carol"], default_admin="carol")
    identity_admin.add_org(wandb_emulator.store, {"name": "acme", "members": ["alice"]})
    with Api(base_url=wandb_emulator.url, api_key=alice.api_key) as api:
        registry = api.create_registry("model", "organization")
        assert _roles(registry.members()) == [("alice", "admin")]
        bob, team = api.user("bob"), api.team("ml")
        assert bob is not None and bob.email == "bob@example.com"
        assert registry.add_members(bob, team) is registry
        assert _roles(registry.members()) == [
            ("alice", "admin"),
            ("bob", "viewer"),
            ("ml", "viewer"),
        ]
        registry.update_member(bob, "member").update_member(team, "admin")
        [_, bob_member] = registry.user_members()
        [team_member] = registry.team_members()
        assert (bob_member.role, bob_member.user.id, bob_member.kind) == ("member", bob.id, "User")
        assert team_member == TeamMember(Team(team.id, "ml"), "admin")
        registry.remove_members(team_member, str(bob.id))
        assert _roles(api.registry("model").members()) == [("alice", "admin")]

        with pytest.raises(CommError, match="invalid registry role 'owner'"):
            registry.update_member(api.viewer, "owner")
        with pytest.raises(CommError, match="user 'bob' is not a member of registry 'model'"):
            registry.remove_members(bob)
        with pytest.raises(UsageError, match="give at least one user or team"):
            registry.add_members()
        with pytest.raises(UsageError, match="neither a user's nor a team's"):
            registry.add_members("not-an-id")
        with pytest.raises(NotFoundError, match="team 'carol' not found"):
            api.team("carol")  # a user's entity
        assert api.user("nobody") is None
        assert _roles(registry.members()) == [("alice", "admin")]
