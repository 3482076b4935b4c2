"""Registry members and roles through the real SDK: ``members()``, ``add_members()``,
``update_member()``, ``remove_members()``, the errors for bad input, and the roles that
strict mode enforces for two users."""

from __future__ import annotations

import pytest
import wandb
from wandb.apis.public.registries._members import MemberRole, TeamMember, UserMember

from client import Api
from emulator import EmulatorServer, Store, identity_admin
from emulator.ids import encode_id
from emulator.state import state_of
from fixtures.handle import EmulatorHandle
from fixtures.identity import UserHandle, ensure_team, ensure_user


def _roles(registry: wandb.Api) -> list[tuple[str, str]]:
    """``(name, role)`` of each member: users by username, then teams by name."""
    return [
        (member.user.username, member.role)
        if isinstance(member, UserMember)
        else (member.team.name, member.role)
        for member in registry.members()
    ]


def test_members_are_added_updated_and_removed(wandb_env: EmulatorHandle) -> None:
    alice = wandb_env.user("alice")
    ensure_team(wandb_env.store, "ml", ["carol"], default_admin="carol")
    wandb_env.user("bob")
    identity_admin.add_org(wandb_env.store, {"name": "acme", "members": ["alice"]})
    wandb_env.use(alice)
    api = wandb.Api(timeout=15)
    registry = api.create_registry("model", visibility="restricted")
    assert _roles(registry) == [("alice", "admin")]  # the creator administers it

    bob, team = api.user("bob"), api.team("ml")
    wandb_env.requests.clear()
    registry.add_members(bob, team)
    assert _roles(registry) == [("alice", "admin"), ("bob", "viewer"), ("ml", "viewer")]
    registry.update_member(bob, "member")
    registry.update_member(team, MemberRole.ADMIN)
    [user_member] = [m for m in registry.user_members() if m.user.username == "bob"]
    [team_member] = registry.team_members()
    assert (user_member.role, user_member.user.id) == ("member", bob.id)
    assert isinstance(team_member, TeamMember) and team_member.role == "admin"
    registry.remove_members(team_member, bob.id)  # a member object or an id
    assert wandb_env.requests(route="graphql").operations() == [
        "CreateRegistryMembers",
        "RegistryUserMembers",
        "RegistryTeamMembers",
        "UpdateUserRegistryRole",
        "UpdateTeamRegistryRole",
        "RegistryUserMembers",
        "RegistryTeamMembers",
        "DeleteRegistryMembers",
    ]
    assert _roles(api.registry("model")) == [("alice", "admin")]


def test_bad_member_calls_name_the_problem(wandb_env: EmulatorHandle) -> None:
    alice = wandb_env.user("alice")
    wandb_env.user("bob")
    identity_admin.add_org(wandb_env.store, {"name": "acme", "members": ["alice"]})
    wandb_env.use(alice)
    api = wandb.Api(timeout=15)
    registry = api.create_registry("model", visibility="organization")
    bob = api.user("bob")
    before = wandb_env.store.version
    ghost = encode_id("User", 999)
    # wandb-core raises its own error type for GraphQL errors.
    with pytest.raises(Exception, match=f"no user with id '{ghost}'"):
        registry.add_members(ghost)
    with pytest.raises(Exception, match=r"no team with id"):
        registry.add_members(encode_id("Entity", 999))
    with pytest.raises(Exception, match="user 'bob' is not a member of registry 'model'"):
        registry.remove_members(bob)
    with pytest.raises(Exception, match="user 'bob' is not a member of registry 'model'"):
        registry.update_member(bob, "viewer")
    registry.add_members(bob)
    after_adding = wandb_env.store.version
    with pytest.raises(Exception, match="invalid registry role 'owner'; expected one of"):
        registry.update_member(bob, "owner")
    assert wandb_env.store.version == after_adding != before
    assert _roles(registry) == [("alice", "admin"), ("bob", "viewer")]


@pytest.fixture
def acme(
    strict_server: EmulatorServer, wandb_env: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> tuple[Store, UserHandle, UserHandle]:
    """The strict server's store, emptied, with alice and bob in organization acme, and
    the SDK pointed at the server: ``(store, alice, bob)``."""
    store: Store = state_of(strict_server.app).store
    store.clear()
    alice, bob = ensure_user(store, "alice"), ensure_user(store, "bob")
    identity_admin.add_org(store, {"name": "acme", "members": ["alice", "bob"]})
    monkeypatch.setenv("WANDB_BASE_URL", strict_server.url)
    monkeypatch.delenv("WANDB_ENTITY")
    return store, alice, bob


def test_strict_roles_decide_who_changes_and_links(
    acme: tuple[Store, UserHandle, UserHandle],
) -> None:
    store, alice, bob = acme
    store.artifacts.log("bob", "zoo", collection="digits", type_name="model", files={"m": b"w"})
    as_alice = wandb.Api(api_key=alice.api_key, timeout=15)
    as_bob = wandb.Api(api_key=bob.api_key, timeout=15)
    as_alice.create_registry("model", visibility="organization")

    seen_by_bob = as_bob.registry("model", organization="acme")  # an org member reads it
    version = as_bob.artifact("bob/zoo/digits:v0")
    before = store.version
    with pytest.raises(Exception, match="may not link versions in registry 'model'"):
        version.link("wandb-registry-model/digits")
    with pytest.raises(Exception, match="may not add members to registry 'model'"):
        seen_by_bob.add_members(as_alice.viewer)
    seen_by_bob.description = "mine now"
    with pytest.raises(ValueError, match="Failed to save registry 'model'"):
        seen_by_bob.save()  # the SDK words the server's refusal itself
    assert store.version == before
    assert as_alice.registry("model", organization="acme").description is None

    registry = as_alice.registry("model", organization="acme")
    registry.add_members(as_bob.viewer)
    registry.update_member(as_bob.viewer, "member")
    linked = version.link("wandb-registry-model/digits")  # a member links
    assert linked.qualified_name == "acme/wandb-registry-model/digits:v0"
    with pytest.raises(ValueError, match="Failed to delete registry 'model'"):
        seen_by_bob.delete()
    assert store.registries.registries("acme") != []
    registry.update_member(as_bob.viewer, "admin")
    seen_by_bob.delete()  # now an admin
    assert [r.name for r in as_alice.registries(organization="acme")] == []


def test_strict_restricted_registries_show_only_to_their_members(
    strict_server: EmulatorServer, acme: tuple[Store, UserHandle, UserHandle]
) -> None:
    store, alice, bob = acme
    mallory = ensure_user(store, "mallory")  # not in the organization
    as_alice = wandb.Api(api_key=alice.api_key, timeout=15)
    as_bob = wandb.Api(api_key=bob.api_key, timeout=15)
    as_alice.create_registry("model", visibility="organization")
    secret = as_alice.create_registry("secret", visibility="restricted")

    def names(api: wandb.Api) -> list[str]:
        return sorted(r.name for r in api.registries(organization="acme"))

    assert names(as_alice) == ["model", "secret"]
    assert names(as_bob) == ["model"]
    with pytest.raises(ValueError, match="Failed to load registry 'secret'"):
        as_bob.registry("secret", organization="acme")
    secret.add_members(as_bob.viewer)
    assert names(as_bob) == ["model", "secret"]
    assert as_bob.registry("secret", organization="acme").visibility == "restricted"
    with Api(strict_server.url, mallory.api_key) as outsider:  # this project's client
        assert [r.name for r in outsider.registries(organization="acme")] == []
