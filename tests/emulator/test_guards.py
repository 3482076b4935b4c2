"""Web pages cannot drive a local emulator: requests replayed as a browser sends them.

Each request below carries the headers a browser attaches (Chrome and Firefox): a page
on ``https://evil.example`` submitting a form, calling ``fetch()``, or reaching the
server through a DNS-rebinding name. The SDK and this project's client keep working.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from emulator import EmulatorServer, Settings, Store, create_app
from emulator.cli import is_loopback, main
from emulator.middleware.guards import host_name

EVIL = "https://evil.example"
CROSS_SITE = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
MUTATION = '{"query": "mutation { upsertBucket(input: {name: \\"pwned\\"}) { bucket { id } } }"}'


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(create_app(Store())) as running:
        yield running


@pytest.fixture
def http(server: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.post(
            "/_emulator/seed", json={"entity": "team", "project": "p", "runs": 1, "steps": 1}
        )
        yield client


def _export(http: httpx.Client) -> dict:
    return http.get("/_emulator/export").json()


@pytest.mark.parametrize(
    ("path", "headers", "body"),
    [
        # <form method=post action=http://127.0.0.1:PORT/_emulator/reset> submitted.
        (
            "/_emulator/reset",
            {
                **CROSS_SITE,
                "Sec-Fetch-Mode": "navigate",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            b"a=b",
        ),
        # fetch(url, {method: "POST", mode: "no-cors", body: '{"query": ...}'}).
        ("/graphql", {**CROSS_SITE, "Content-Type": "text/plain;charset=UTF-8"}, MUTATION),
        # The same from a sandboxed iframe or a file: page.
        ("/graphql", {"Origin": "null", "Content-Type": "text/plain"}, MUTATION),
        # A browser that sends Sec-Fetch-Site but no Origin.
        (
            "/_emulator/seed",
            {"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},
            b'{"runs": 5}',
        ),
        ("/files/team/p/x/file_stream", {**CROSS_SITE, "Content-Type": "text/plain"}, b"{}"),
    ],
)
def test_cross_site_writes_are_refused(
    http: httpx.Client, path: str, headers: dict[str, str], body: bytes | str
) -> None:
    before = _export(http)
    response = http.post(path, headers=headers, content=body)
    assert response.status_code == 403
    assert "cross-site" in response.json()["error"]
    assert _export(http) == before


def test_a_simple_admin_post_without_json_is_refused(http: httpx.Client) -> None:
    # Even from a browser that sent no Origin: its simple requests cannot be JSON.
    response = http.post("/_emulator/reset", content=b"", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "X-Wandb-Emulator" in response.json()["error"]
    assert http.post("/_emulator/reset", headers={"X-Wandb-Emulator": "1"}).status_code == 200


@pytest.mark.parametrize("path", ["/_emulator/export", "/graphql", "/healthz"])
def test_dns_rebinding_hosts_are_refused_even_for_reads(http: httpx.Client, path: str) -> None:
    response = http.get(path, headers={"Host": "evil.example:8080"})
    assert response.status_code == 400
    assert "evil.example" in response.json()["error"]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_loopback_names_are_welcome(http: httpx.Client, server: EmulatorServer, host: str) -> None:
    response = http.get("/healthz", headers={"Host": f"{host}:{server.port}"})
    assert response.status_code == 200


def test_local_pages_and_preflights(http: httpx.Client) -> None:
    # A notebook at http://localhost:8888 may talk to its local emulator...
    response = http.post(
        "/_emulator/seed", json={"runs": 1, "steps": 1}, headers={"Origin": "http://localhost:8888"}
    )
    assert response.status_code == 200
    # ...while a page elsewhere never gets the CORS grant a non-simple request needs.
    preflight = http.options(
        "/_emulator/reset",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code in (403, 405)
    assert "access-control-allow-origin" not in preflight.headers


def test_cross_site_reads_of_data_routes_pass(http: httpx.Client) -> None:
    # Reading is harmless without CORS headers (the page cannot see the answer); an
    # <img> of a run file still loads.
    assert http.get("/healthz", headers=CROSS_SITE).status_code == 200


def test_allowed_hosts_extend_the_names() -> None:
    app = create_app(Store(), settings=Settings(allowed_hosts=("wandb-emulator",)))
    with TestClient(app, base_url="http://wandb-emulator:8080") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz", headers={"Host": "other"}).status_code == 400
    anything = create_app(Store(), settings=Settings(allowed_hosts=("*",)))
    with TestClient(anything, base_url="http://any.name") as client:
        assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:8080", "localhost"),
        ("[::1]:8080", "::1"),
        ("::1", "::1"),
        ("Example.COM", "example.com"),
    ],
)
def test_host_names(header: str, name: str) -> None:
    assert host_name(header) == name


def test_binding_beyond_loopback_warns(capsys: pytest.CaptureFixture[str]) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: binding fails, nothing listens.
    with pytest.raises(SystemExit, match=r"cannot listen on 192\.0\.2\.1"):
        main(["serve", "--host", "192.0.2.1", "--port", "0"])
    assert "WARNING: listening on 192.0.2.1" in capsys.readouterr().err
