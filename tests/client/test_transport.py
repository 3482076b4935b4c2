"""The GraphQL transport: request shape, auth, retries with backoff, and error reporting."""

from __future__ import annotations

import base64
import gc
import json

import httpx
import pytest
from client_fakes import API_KEY, BASE_URL, FakeServer
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from client import Api, CommError, WandbClientError
from client._graphql import MAX_RETRY_AFTER_S

VIEWER = {"viewer": {"id": "VXNlcjox", "entity": "ent"}}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the backoff delays instead of sleeping."""
    delays: list[float] = []
    monkeypatch.setattr("client._graphql.time.sleep", delays.append)
    return delays


def scripted(fake_server: FakeServer, *responses: httpx.Response | Exception) -> None:
    """Answer ``GetDefaultEntity`` with ``responses`` in turn (exceptions are raised)."""
    queue = list(responses)

    def handle(_variables: dict) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    fake_server.on("GetDefaultEntity", handle)


def make_api(http: httpx.Client, max_retries: int = 3) -> Api:
    return Api(api_key=API_KEY, http_client=http, retry_backoff=0.5, max_retries=max_retries)


def test_posts_json_operation_to_graphql_endpoint(api: Api, fake_server: FakeServer) -> None:
    assert api.default_entity == "ent"

    [call] = fake_server.calls
    assert call.request.method == "POST"
    assert str(call.request.url) == f"{BASE_URL}/graphql"
    assert call.request.headers["content-type"] == "application/json"
    assert set(json.loads(call.request.content)) == {"query", "variables", "operationName"}
    assert call.operation == "GetDefaultEntity"
    assert "viewer" in call.query


def test_sends_basic_auth_with_api_user(api: Api, fake_server: FakeServer) -> None:
    api.default_entity  # noqa: B018

    token = base64.b64encode(f"api:{API_KEY}".encode()).decode()
    assert fake_server.calls[0].request.headers["authorization"] == f"Basic {token}"


def test_sends_no_auth_without_key(
    clean_env: pytest.MonkeyPatch, fake_http: httpx.Client, fake_server: FakeServer
) -> None:
    Api(http_client=fake_http).default_entity  # noqa: B018

    assert "authorization" not in fake_server.calls[0].request.headers


def test_timeout_configures_the_own_client(clean_env: pytest.MonkeyPatch) -> None:
    with Api("http://127.0.0.1:9", timeout=7) as api:
        assert api._session.graphql._http.timeout == httpx.Timeout(7)


def test_retries_503_with_exponential_backoff_then_succeeds(
    clean_env: pytest.MonkeyPatch,
    fake_http: httpx.Client,
    fake_server: FakeServer,
    sleeps: list[float],
) -> None:
    scripted(
        fake_server,
        httpx.Response(503, text="busy"),
        httpx.Response(503, text="busy"),
        httpx.Response(200, json={"data": VIEWER}),
    )

    assert make_api(fake_http).default_entity == "ent"
    assert len(fake_server.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_retries_429(
    clean_env: pytest.MonkeyPatch,
    fake_http: httpx.Client,
    fake_server: FakeServer,
    sleeps: list[float],
) -> None:
    scripted(
        fake_server,
        httpx.Response(429, json={"error": "slow down"}),
        httpx.Response(200, json={"data": VIEWER}),
    )

    assert make_api(fake_http).default_entity == "ent"
    assert sleeps == [0.5]


def test_waits_as_long_as_retry_after_asks(
    clean_env: pytest.MonkeyPatch,
    fake_http: httpx.Client,
    fake_server: FakeServer,
    sleeps: list[float],
) -> None:
    scripted(
        fake_server,
        httpx.Response(429, headers={"Retry-After": "3"}, json={"error": "slow down"}),
        httpx.Response(503, headers={"Retry-After": "0.1"}, text="unavailable"),
        httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        httpx.Response(429, headers={"Retry-After": "86400"}),
        httpx.Response(200, json={"data": VIEWER}),
    )

    assert make_api(fake_http, max_retries=4).default_entity == "ent"
    # The server's wait when longer than the backoff; the backoff for a date; capped.
    assert sleeps == [3.0, 1.0, 2.0, MAX_RETRY_AFTER_S]


def test_gives_up_after_max_retries(
    clean_env: pytest.MonkeyPatch,
    fake_http: httpx.Client,
    fake_server: FakeServer,
    sleeps: list[float],
) -> None:
    scripted(fake_server, *[httpx.Response(502, text="bad gateway")] * 3)

    with pytest.raises(CommError, match="HTTP 502: bad gateway") as caught:
        make_api(fake_http, max_retries=2).default_entity  # noqa: B018
    assert caught.value.status == 502
    assert len(fake_server.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_retries_transport_errors(
    clean_env: pytest.MonkeyPatch,
    fake_http: httpx.Client,
    fake_server: FakeServer,
    sleeps: list[float],
) -> None:
    scripted(
        fake_server,
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
        httpx.Response(200, json={"data": VIEWER}),
    )

    assert make_api(fake_http).default_entity == "ent"
    assert sleeps == [0.5, 1.0]


def test_transport_error_after_retries_becomes_comm_error(
    clean_env: pytest.MonkeyPatch,
    fake_http: httpx.Client,
    fake_server: FakeServer,
    sleeps: list[float],
) -> None:
    scripted(fake_server, *[httpx.ConnectError("connection refused")] * 2)

    with pytest.raises(CommError, match="connection refused") as caught:
        make_api(fake_http, max_retries=1).default_entity  # noqa: B018
    assert caught.value.status is None
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert sleeps == [0.5]


def test_unretryable_transport_errors_fail_at_once(
    api: Api, fake_server: FakeServer, sleeps: list[float]
) -> None:
    scripted(fake_server, httpx.UnsupportedProtocol("no such scheme"))

    with pytest.raises(CommError, match="no such scheme"):
        api.default_entity  # noqa: B018
    assert len(fake_server.calls) == 1
    assert sleeps == []


def test_graphql_errors_are_not_retried_and_surface_the_message(
    api: Api, fake_server: FakeServer, sleeps: list[float]
) -> None:
    body = {"errors": [{"message": "permission denied", "path": ["viewer"]}], "data": None}
    scripted(fake_server, httpx.Response(200, json=body))

    with pytest.raises(CommError, match="permission denied") as caught:
        api.default_entity  # noqa: B018
    assert caught.value.messages == ["permission denied"]
    assert isinstance(caught.value, WandbClientError)
    assert len(fake_server.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(401, json={"errors": [{"message": "invalid api key"}]}), "invalid api key"),
        (httpx.Response(403, json={"error": "forbidden here"}), "forbidden here"),
        (httpx.Response(404, text="no such route"), "no such route"),
        (httpx.Response(400, content=b""), "Bad Request"),
    ],
)
def test_client_errors_fail_at_once_with_the_message(
    api: Api,
    fake_server: FakeServer,
    sleeps: list[float],
    response: httpx.Response,
    message: str,
) -> None:
    scripted(fake_server, response)

    with pytest.raises(CommError, match=message) as caught:
        api.default_entity  # noqa: B018
    assert caught.value.status == response.status_code
    assert len(fake_server.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(200, json={"data": None}),
    ],
)
def test_malformed_success_responses_raise_comm_error(
    api: Api, fake_server: FakeServer, response: httpx.Response
) -> None:
    scripted(fake_server, response)

    with pytest.raises(CommError, match="GetDefaultEntity"):
        api.default_entity  # noqa: B018


def test_relative_graphql_path_joins_the_client_base_url(
    clean_env: pytest.MonkeyPatch, fake_server: FakeServer
) -> None:
    transport = httpx.MockTransport(fake_server)
    with httpx.Client(base_url="http://testserver/prefix", transport=transport) as http:
        api = Api(http_client=http)
        api.default_entity  # noqa: B018

    assert str(fake_server.calls[0].request.url) == "http://testserver/prefix/graphql"
    assert api.settings["base_url"] == "http://testserver/prefix"


def test_explicit_base_url_wins_over_the_client_base_url(
    clean_env: pytest.MonkeyPatch, fake_http: httpx.Client, fake_server: FakeServer
) -> None:
    Api("http://elsewhere:8080/", http_client=fake_http).default_entity  # noqa: B018

    assert str(fake_server.calls[0].request.url) == "http://elsewhere:8080/graphql"


def test_close_keeps_a_passed_client_open(api: Api, fake_http: httpx.Client) -> None:
    with api:
        pass

    assert not fake_http.is_closed


def test_close_closes_the_own_client(clean_env: pytest.MonkeyPatch) -> None:
    api = Api("http://127.0.0.1:9")
    http = api._session.graphql._http

    api.close()

    assert http.is_closed


def test_an_unclosed_api_releases_its_client(clean_env: pytest.MonkeyPatch) -> None:
    api = Api("http://127.0.0.1:9")
    http = api._session.graphql._http

    del api
    gc.collect()

    assert http.is_closed


def test_routes_through_a_starlette_test_client(clean_env: pytest.MonkeyPatch) -> None:
    seen: list[Request] = []

    async def graphql(request: Request) -> JSONResponse:
        seen.append(request)
        body = await request.json()
        assert body["operationName"] == "GetDefaultEntity"
        return JSONResponse({"data": VIEWER})

    app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])
    with TestClient(app) as test_client:
        api = Api(api_key=API_KEY, http_client=test_client, timeout=3)

        assert api.default_entity == "ent"
        assert api.settings["base_url"] == "http://testserver"
    assert seen[0].headers["authorization"].startswith("Basic ")


def test_retries_httpx2_transport_errors(
    clean_env: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    httpx2 = pytest.importorskip("httpx2")
    attempts: list[object] = []

    def handle(request: object) -> object:
        attempts.append(request)
        if len(attempts) == 1:
            raise httpx2.ConnectError("connection refused")
        return httpx2.Response(200, json={"data": VIEWER})

    with httpx2.Client(base_url=BASE_URL, transport=httpx2.MockTransport(handle)) as http:
        api = Api(http_client=http, retry_backoff=0.5)

        assert api.default_entity == "ent"
    assert len(attempts) == 2
    assert sleeps == [0.5]
