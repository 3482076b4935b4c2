"""``EmulatorServer``: the in-thread server the plugin and embedders use."""

from __future__ import annotations

import socket

import httpx

from emulator import EmulatorServer


def test_accepted_connections_disable_nagle() -> None:
    # Without TCP_NODELAY, every keep-alive request waits ~40 ms for a delayed ACK.
    with EmulatorServer() as server, httpx.Client(base_url=server.url) as http:
        assert http.get("/healthz").status_code == 200
        connections = list(server._server.server_state.connections)
        assert connections
        for connection in connections:
            sock = connection.transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
