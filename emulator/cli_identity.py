"""``wandb-emulator user|team|org add``: identity set up on a ``--data-dir`` before
``serve`` starts. ``user add`` prints the user's API key (alone, for ``$(...)``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from emulator import identity_admin
from emulator.store import Store
from emulator.store.identity import IdentityError

COMMANDS = ("user", "team", "org")


def add_parsers(commands: Any) -> None:
    """Add the ``user``, ``team`` and ``org`` commands to the CLI's subparsers."""
    user = _add_command(commands, "user", "add a user and print its API key")
    user.add_argument("--key", help="its API key, 40+ characters (default: a new random one)")
    user.add_argument("--email", help="default: NAME@example.com")
    user.add_argument("--admin", action="store_true", help="make it an instance admin")

    team = _add_command(commands, "team", "add a team")
    team.add_argument("--admin", required=True, help="the team's first admin (a username)")
    team.add_argument("--member", action="append", default=[], help="a member (repeatable)")
    team.add_argument("--org", help="the organization the team belongs to")

    org = _add_command(commands, "org", "add an organization")
    org.add_argument("--team", action="append", default=[], help="a team it holds (repeatable)")
    org.add_argument("--member", action="append", default=[], help="a member (repeatable)")


def _add_command(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=f"{help_text} (user add ...)")
    actions = parser.add_subparsers(dest="action", required=True)
    add: argparse.ArgumentParser = actions.add_parser("add", help=help_text)
    add.add_argument("name")
    add.add_argument(
        "--data-dir", type=Path, required=True, help="the store to add to (before serve)"
    )
    add.add_argument("--json", action="store_true", help="print all that was made, as JSON")
    return add


def _request(args: argparse.Namespace) -> tuple[Callable[..., dict[str, Any]], dict[str, Any]]:
    if args.command == "user":
        body: dict[str, Any] = {"username": args.name, "admin": args.admin}
        if args.key is not None:
            body["api_key"] = args.key
        if args.email is not None:
            body["email"] = args.email
        return identity_admin.add_user, body
    if args.command == "team":
        body = {"name": args.name, "admin": args.admin, "members": args.member}
        if args.org:
            body["organization"] = args.org
        return identity_admin.add_team, body
    return identity_admin.add_org, {"name": args.name, "teams": args.team, "members": args.member}


def run(args: argparse.Namespace, open_store: Callable[[Path], Store]) -> None:
    """Carry out ``user|team|org add``; errors exit with a message naming the problem."""
    action, body = _request(args)
    with open_store(args.data_dir) as store:
        try:
            result = action(store, body)
        except IdentityError as error:
            raise SystemExit(f"wandb-emulator: cannot add {args.command}: {error}") from None
    if args.json:
        print(json.dumps(result))
    elif args.command == "user":
        print(result["api_key"])
    else:
        print(f"Added {args.command} {args.name}.")
