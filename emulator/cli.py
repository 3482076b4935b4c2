"""``wandb-emulator serve|seed|export|import|mirror|user|team|org``."""

from __future__ import annotations

import argparse
import ipaddress
import json
import sqlite3
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from emulator import cli_identity
from emulator.fault_rules import FaultSpec, parse_rules
from emulator.mirror import command as mirror_command
from emulator.settings import AUTH_MODES, DEFAULT_API_KEY, DEFAULT_ENTITY, Settings
from emulator.store import Run, Store
from emulator.store.ownership import ForeignDatabaseError

DEFAULT_PROJECT = "demo"
_MB = 1024 * 1024


def _positive(text: str) -> float:
    """A positive number (fractions allowed): a size in MiB, a timeout in seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def _count(text: str) -> int:
    """A whole number, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wandb-emulator", description="An offline stand-in for the W&B backend."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the W&B API")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default loopback)")
    serve.add_argument("--port", type=int, default=8080)
    _add_store_options(serve)
    serve.add_argument(
        "--max-upload-mb",
        type=_positive,
        default=Settings.max_upload_bytes / _MB,
        help="largest file upload accepted, in MiB (default %(default)g)",
    )
    serve.add_argument(
        "--heartbeat-timeout",
        type=_positive,
        default=None,
        metavar="SECONDS",
        help="a running run silent for this long reads as crashed (default: never)",
    )
    serve.add_argument(
        "--auth",
        choices=AUTH_MODES,
        default="open",
        help="open: any key works (default); strict: unknown keys get 401 and users write"
        " only to their own entity and their teams",
    )
    serve.add_argument(
        "--faults",
        type=Path,
        default=None,
        metavar="RULES.json",
        help="fault rules to apply from the start (a JSON list; reset brings them back)",
    )
    serve.add_argument(
        "--journal-size",
        type=_count,
        default=Settings.journal_size,
        metavar="N",
        help="requests the journal keeps, newest last (default %(default)s; 0: none)",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name clients may reach the server by, besides its address and "
        "localhost (repeatable; '*' for any: turns off the DNS-rebinding check)",
    )
    serve.add_argument("--seed", type=int, default=None, help="seed a project with fake runs")
    serve.add_argument(
        "--load",
        type=Path,
        default=None,
        metavar="SNAPSHOT",
        help="start from a snapshot (made by export or mirror) instead of an empty store",
    )
    _add_seed_options(serve)

    seed = commands.add_parser("seed", help="add seeded fake runs to a --data-dir store")
    _add_store_options(seed, required=True)
    seed.add_argument("--seed", type=int, default=0)
    _add_seed_options(seed)

    export = commands.add_parser("export", help="write a JSON snapshot of a --data-dir store")
    _add_store_options(export, required=True)
    export.add_argument("output", type=Path, help="snapshot file ('-' for stdout)")

    import_ = commands.add_parser("import", help="replace a --data-dir store with a snapshot")
    _add_store_options(import_, required=True)
    import_.add_argument("snapshot", type=Path, help="snapshot file made by export")

    mirror_command.add_parser(commands)
    cli_identity.add_parsers(commands)
    return parser


def _add_store_options(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        required=required,
        default=None,
        help="keep data in this directory (default: in memory)",
    )


def _add_seed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--entity", default=DEFAULT_ENTITY, help="viewer entity and seeded entity")
    parser.add_argument("--project", default=DEFAULT_PROJECT)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument(
        "--artifacts",
        action="store_true",
        help="also log versioned datasets and model checkpoints, used by eval runs",
    )
    parser.add_argument(
        "--sweeps", type=int, default=0, help="make this many groups of the runs sweeps"
    )


def _open_store(data_dir: Path | None) -> Store:
    try:
        return Store(data_dir)
    except (OSError, sqlite3.Error, ForeignDatabaseError) as error:
        raise SystemExit(f"wandb-emulator: cannot use data dir {data_dir}: {error}") from None


def _seed(store: Store, args: argparse.Namespace) -> list[Run]:
    from emulator.seeders import default_seeder

    request = {
        "seed": args.seed,
        "entity": args.entity,
        "project": args.project,
        "runs": args.runs,
        "steps": args.steps,
        "artifacts": args.artifacts,
        "sweeps": args.sweeps,
    }
    try:
        return default_seeder()(store, request)
    except (LookupError, ValueError) as error:
        raise SystemExit(f"wandb-emulator: cannot seed: {error}") from None


def _fault_rules(path: Path | None) -> tuple[FaultSpec, ...]:
    if path is None:
        return ()
    try:
        return tuple(parse_rules(json.loads(path.read_text())))
    except (OSError, ValueError) as error:
        raise SystemExit(f"wandb-emulator: cannot use fault rules {path}: {error}") from None


def _load(store: Store, snapshot: Path) -> None:
    """Replace the store's contents with ``snapshot``; ``SystemExit`` naming the problem."""
    try:
        store.load(json.loads(snapshot.read_text()))
    except (OSError, ValueError) as error:
        raise SystemExit(f"wandb-emulator: cannot import {snapshot}: {error}") from None


def serve_settings(args: argparse.Namespace) -> Settings:
    """The server settings ``serve``'s options ask for."""
    return Settings(
        entity=args.entity,
        max_upload_bytes=int(args.max_upload_mb * _MB),
        heartbeat_timeout_s=args.heartbeat_timeout,
        auth=args.auth,
        faults=_fault_rules(args.faults),
        journal_size=args.journal_size,
        allowed_hosts=tuple(name.lower() for name in args.allowed_host),
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address to bind) is reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _warn_if_exposed(host: str) -> None:
    if not is_loopback(host):
        print(
            f"wandb-emulator: WARNING: listening on {host}, not only on loopback: anyone who "
            "can reach this machine can read and change its data (the emulator accepts any "
            "API key). Clients must name the server by its address, or by a name given "
            "with --allowed-host.",
            file=sys.stderr,
        )


def _serve(args: argparse.Namespace) -> None:
    from emulator.app import create_app
    from emulator.endpoints import warm_up
    from emulator.server import EmulatorServer

    store = _open_store(args.data_dir)
    if args.load is not None:
        _load(store, args.load)
    if args.seed is not None:
        runs = _seed(store, args)
        print(f"Seeded {len(runs)} runs into {args.entity}/{args.project} (seed {args.seed}).")
    app = create_app(store, settings=serve_settings(args))
    _warn_if_exposed(args.host)
    try:
        server = EmulatorServer(app, host=args.host, port=args.port)
    except OSError as error:
        raise SystemExit(
            f"wandb-emulator: cannot listen on {args.host}:{args.port}: {error}"
        ) from None
    where = "in memory" if args.data_dir is None else f"in {args.data_dir}"
    print(f"wandb-emulator serving {server.url} (data {where}). Point W&B clients at it:")
    print(f"  export WANDB_BASE_URL={server.url}")
    print(f"  export WANDB_API_KEY={DEFAULT_API_KEY}")
    print(f"  export WANDB_ENTITY={args.entity}")
    print(f"Browse projects and runs at {server.url}/")
    sys.stdout.flush()
    # Load the GraphQL stack while clients connect, rather than on the first query.
    threading.Thread(target=warm_up, name="graphql-warm-up", daemon=True).start()
    server.serve_forever()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``wandb-emulator`` console script."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        _serve(args)
    elif args.command == "seed":
        with _open_store(args.data_dir) as store:
            runs = _seed(store, args)
        print(f"Seeded {len(runs)} runs into {args.entity}/{args.project}.")
    elif args.command in cli_identity.COMMANDS:
        cli_identity.run(args, _open_store)
    elif args.command == "export":
        with _open_store(args.data_dir) as store:
            snapshot = json.dumps(store.export())
        if str(args.output) == "-":
            print(snapshot)
        else:
            args.output.write_text(snapshot)
    elif args.command == "mirror":
        mirror_command.run(args)
    else:
        with _open_store(args.data_dir) as store:
            _load(store, args.snapshot)
