"""B1: start the emulator until ``/healthz`` answers, in a thread and as ``wandb-emulator serve``.

Baselines: Python's own ``http.server`` answering ``/healthz``, in a thread and as a
``python -c`` process: the least any Python HTTP server can cost to start here.
"""

from __future__ import annotations

import http.server
import sys
import threading
import time
import urllib.request
from typing import Any

from benchmarks.context import Context
from benchmarks.harness import Baseline, Row, below, measure
from benchmarks.processes import answers, emulator_command, server_process
from emulator import EmulatorServer, Store, create_app

TARGET = (below(0.5, "< 0.5 s"),)
_VIEWER_QUERY = b'{"query": "{ viewer { entity } }"}'

_STDLIB_SERVER = """
import http.server
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(f"WANDB_BASE_URL=http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
"""


class _Healthz(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_: Any) -> None:
        pass


def _start_emulator(state: dict[str, Any]) -> None:
    server = state["server"] = EmulatorServer(create_app(Store())).start()
    if not answers(f"{server.url}/healthz"):
        raise RuntimeError("the in-thread emulator did not answer /healthz")


def _start_stdlib(state: dict[str, Any]) -> None:
    server = state["server"] = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Healthz)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if not answers(f"http://127.0.0.1:{server.server_port}/healthz"):
        raise RuntimeError("the stdlib server did not answer /healthz")


def _stop_stdlib(state: dict[str, Any]) -> None:
    state["server"].shutdown()
    state["server"].server_close()


def _first_query(url: str) -> None:
    request = urllib.request.Request(
        f"{url}/graphql", data=_VIEWER_QUERY, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        if b'"errors"' in response.read():
            raise RuntimeError("the first GraphQL query failed")


def _process_startups(
    ctx: Context, command: list[str], name: str, *, query: bool = False
) -> tuple[list[float], list[float]]:
    """Seconds until ``/healthz`` answers, and (with ``query``) until a first GraphQL query
    has been answered too, for ``startup_repeat`` fresh processes."""
    healthy, queried = [], []
    for index in range(max(1, ctx.sizes.startup_repeat)):
        log = ctx.scratch(name) / f"{index}.log"
        start = time.perf_counter()
        with server_process(command, log) as (url, _):
            healthy.append(time.perf_counter() - start)
            if query:
                _first_query(url)
                queried.append(time.perf_counter() - start)
    return healthy, queried


def run(ctx: Context) -> list[Row]:
    """The in-thread ``EmulatorServer``, and the ``wandb-emulator serve`` process (until it is
    healthy, and until it has answered a first query)."""
    times = ctx.sizes.startup_repeat
    in_thread = measure(_start_emulator, times, setup=dict, teardown=lambda s: s["server"].stop())
    stdlib = measure(_start_stdlib, times, setup=dict, teardown=_stop_stdlib)
    cli, cli_query = _process_startups(ctx, emulator_command(), "serve", query=True)
    python, _ = _process_startups(ctx, [sys.executable, "-c", _STDLIB_SERVER], "stdlib")
    return [
        Row(
            "B1",
            "start EmulatorServer in a thread, until /healthz answers",
            "empty store",
            in_thread,
            baseline=Baseline("stdlib http.server in a thread", stdlib),
            target=TARGET,
            note="store, app, uvicorn thread and the first GET /healthz; modules already imported",
        ),
        Row(
            "B1",
            "start `wandb-emulator serve`, until /healthz answers",
            "empty store",
            cli,
            baseline=Baseline("`python -c` stdlib http.server", python),
            target=TARGET,
            note="process start, imports, bind, serve; polled every 2 ms",
        ),
        Row(
            "B1",
            "start `wandb-emulator serve`, until a first GraphQL query answers",
            "empty store",
            cli_query,
            baseline=Baseline("`python -c` stdlib http.server", python),
            note="the row above plus `{ viewer { entity } }` (builds the schema on first use)",
        ),
    ]
