"""Run the emulator with uvicorn in a background thread (tests, notebooks, embedding)."""

from __future__ import annotations

import socket
import threading
from types import TracebackType

import uvicorn
from starlette.applications import Starlette

from emulator.app import create_app


class EmulatorServer:
    """An emulator served on a loopback port from a daemon thread.

    >>> with EmulatorServer() as server:
    ...     server.url  # e.g. "http://127.0.0.1:54321"

    Port 0 picks a free port. The socket is bound in the constructor, so ``url`` is
    known (and a busy port reported) before anything starts.
    """

    def __init__(self, app: Starlette | None = None, *, host: str = "127.0.0.1", port: int = 0):
        self.app = app if app is not None else create_app()
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on connections accepted from
        # sockets that say so. Without it, Nagle holds back the second write of each
        # response until the client's delayed ACK, about 40 ms per keep-alive request.
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._socket.bind((host, port))
        except OSError:
            self._socket.close()
            raise
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off")
        # Import the HTTP protocol now rather than when serving starts, where a server
        # process would import it while its GraphQL warm-up thread competes for the GIL.
        config.load()
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name="wandb-emulator", daemon=True)

    @property
    def url(self) -> str:
        """Base URL to use as ``WANDB_BASE_URL``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (what the CLI does)."""
        self._socket.listen(128)
        self._server.run(sockets=[self._socket])

    def _serve(self) -> None:
        self._server.run(sockets=[self._socket])

    def start(self) -> EmulatorServer:
        """Start serving. The socket already listens, so connections made from now on
        wait in its backlog until uvicorn accepts them: no readiness polling needed."""
        self._socket.listen(128)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._socket.close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
