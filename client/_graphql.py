"""Execution of GraphQL operations: the only module that performs HTTP requests."""

from __future__ import annotations

import base64
import functools
import logging
import re
import time
import weakref
from collections.abc import Callable, Mapping
from importlib import resources
from types import ModuleType
from typing import Any, Protocol

import httpx

from client.errors import CommError

try:  # Starlette's TestClient is built on httpx2; accept its clients and errors too.
    import httpx2
except ImportError:  # pragma: no cover - depends on the environment
    httpx2 = None  # type: ignore[assignment]  # an optional module: None when absent

logger = logging.getLogger(__name__)

#: A fragment spread such as ``...ArtifactFragment`` (inline ``... on Type`` too; skipped).
_SPREAD = re.compile(r"\.\.\.\s*([_A-Za-z][_0-9A-Za-z]*)")
_HTTP_MODULES: tuple[ModuleType, ...] = (httpx,) if httpx2 is None else (httpx, httpx2)


def _exception_types(*names: str) -> tuple[type[Exception], ...]:
    return tuple(getattr(module, name) for module in _HTTP_MODULES for name in names)


#: Transport failures worth another attempt (the request may not have reached the server).
_RETRYABLE_ERRORS = _exception_types("TimeoutException", "NetworkError", "RemoteProtocolError")
#: Every other failure of the HTTP library.
_HTTP_ERRORS = _exception_types("HTTPError")


class HTTPClient(Protocol):
    """The part of ``httpx.Client`` used here; ``httpx2.Client`` (Starlette's TestClient) fits."""

    @property
    def base_url(self) -> Any:
        """The URL that relative request URLs are joined to (may be empty)."""

    def post(self, url: str, *, json: Any = ..., headers: Any = ...) -> Any:
        """Send a POST request and return an httpx-style response."""

    def request(self, method: str, url: str, *, content: Any = ..., headers: Any = ...) -> Any:
        """Send any request and return an httpx-style response."""


@functools.cache  # process-wide on purpose: the query files are part of the package
def load_query(operation: str) -> str:
    """The GraphQL document of ``operation``, read from ``client/queries/<operation>.graphql``.

    Fragments it spreads (``...Name``) that live in ``client/queries/fragments/Name.graphql``
    are appended, with the fragments those spread in turn.
    """
    queries = resources.files(__package__) / "queries"
    parts = [(queries / f"{operation}.graphql").read_text(encoding="utf-8")]
    seen: set[str] = set()
    pending = _SPREAD.findall(parts[0])
    while pending:
        name = pending.pop()
        fragment = queries / "fragments" / f"{name}.graphql"
        if name in seen or not fragment.is_file():
            continue
        seen.add(name)
        parts.append(fragment.read_text(encoding="utf-8"))
        pending.extend(_SPREAD.findall(parts[-1]))
    return "\n".join(parts)


def _is_retryable(status: int) -> bool:
    return status == 429 or status >= 500


#: The longest wait a ``Retry-After`` header is obeyed for, in seconds.
MAX_RETRY_AFTER_S = 60.0


def _retry_after(response: Any) -> float:
    """The seconds a response's ``Retry-After`` asks to wait (W&B sends a number of
    seconds), at most :data:`MAX_RETRY_AFTER_S`; 0 when absent or not a number."""
    try:
        asked = float(response.headers.get("Retry-After", 0))
    except ValueError:  # an HTTP date, which W&B does not send: the backoff applies
        return 0.0
    return min(max(asked, 0.0), MAX_RETRY_AFTER_S) if asked == asked else 0.0


def _graphql_message(error: Any) -> str:
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        value: str = error["message"]
        return value
    return str(error)


def _graphql_messages(errors: Any) -> list[str]:
    return [_graphql_message(error) for error in (errors if isinstance(errors, list) else [errors])]


def _error_messages(response: Any) -> list[str]:
    """Best-effort error messages from an error response body."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return [text] if text else []
    if isinstance(body, dict):
        if body.get("errors"):
            return _graphql_messages(body["errors"])
        for key in ("error", "message", "detail"):
            if isinstance(body.get(key), str):
                return [body[key]]
    return [str(body)]


class GraphQLClient:
    """Posts GraphQL operations to one endpoint, with authentication and retries.

    Requests answered with HTTP 429 or 5xx, and transport failures, are retried
    up to ``max_retries`` times, waiting ``retry_backoff * 2**attempt`` seconds
    before each new attempt. Every other failure raises :class:`CommError` at once.
    """

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None,
        timeout: float,
        max_retries: int,
        retry_backoff: float,
        http_client: HTTPClient | None = None,
    ) -> None:
        """Post to ``url`` (absolute, or relative to ``http_client``).

        ``timeout`` configures the HTTP client created here; a passed
        ``http_client`` keeps its own timeout settings.
        """
        self.url = url
        self._headers = {}
        if api_key:
            token = base64.b64encode(f"api:{api_key}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._max_retries = max_retries
        self._retry_backoff = retry_backoff
        if http_client is None:
            owned = httpx.Client(timeout=timeout)
            self._http: HTTPClient = owned
            # Users of wandb.Api never close it: release the sockets when this object goes away.
            self._close_http: weakref.finalize[[], GraphQLClient] | None = weakref.finalize(
                self, owned.close
            )
        else:
            self._http = http_client
            self._close_http = None

    def execute(self, operation: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run ``operation`` (a document in ``client/queries``) and return its ``data``.

        Raises:
            CommError: on transport failures, HTTP errors, GraphQL ``errors``,
                or a response without a ``data`` object.
        """
        payload = {
            "query": load_query(operation),
            "variables": dict(variables or {}),
            "operationName": operation,
        }
        response = self._send(
            operation, lambda: self._http.post(self.url, json=payload, headers=self._headers)
        )
        self._check_status(operation, response)
        return self._data(operation, response)

    def transfer(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """Send a file ``GET`` or ``PUT`` to ``url`` (relative URLs are on this server),
        authenticated, with extra ``headers``, and retried like GraphQL requests;
        returns the response body.

        Raises:
            CommError: on transport failures and HTTP errors.
        """
        if url.startswith("/"):
            url = self.url.rsplit("/graphql", 1)[0] + url
        label = f"{method} {url}"
        all_headers = {**self._headers, **(headers or {})}
        response = self._send(
            label, lambda: self._http.request(method, url, content=content, headers=all_headers)
        )
        self._check_status(label, response)
        value: bytes = response.content
        return value

    @staticmethod
    def _check_status(operation: str, response: Any) -> None:
        if response.status_code >= 400:
            messages = _error_messages(response)
            detail = "; ".join(messages) or response.reason_phrase
            raise CommError(
                f"{operation}: HTTP {response.status_code}: {detail}",
                status=response.status_code,
                messages=messages,
            )

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._close_http is not None:
            self._close_http()

    def _send(self, operation: str, send: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            asked = 0.0  # the wait a 429 or 503 asks for in Retry-After
            try:
                response = send()
            except _RETRYABLE_ERRORS as exc:
                if attempt >= self._max_retries:
                    raise CommError(
                        f"{operation}: request to {self.url} failed "
                        f"after {attempt + 1} attempts: {exc!r}"
                    ) from exc
                reason = repr(exc)
            except _HTTP_ERRORS as exc:
                raise CommError(f"{operation}: request to {self.url} failed: {exc!r}") from exc
            else:
                if not _is_retryable(response.status_code) or attempt >= self._max_retries:
                    return response
                reason = f"HTTP {response.status_code}"
                asked = _retry_after(response)
            delay = max(self._retry_backoff * 2**attempt, asked)
            logger.debug("retrying %s in %.2fs (%s)", operation, delay, reason)
            time.sleep(delay)
            attempt += 1

    @staticmethod
    def _data(operation: str, response: Any) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise CommError(
                f"{operation}: response is not JSON", status=response.status_code
            ) from exc
        if not isinstance(body, dict):
            raise CommError(
                f"{operation}: response is not a JSON object", status=response.status_code
            )
        if body.get("errors"):
            messages = _graphql_messages(body["errors"])
            raise CommError(
                f"{operation}: {'; '.join(messages)}",
                status=response.status_code,
                messages=messages,
            )
        data = body.get("data")
        if not isinstance(data, dict):
            raise CommError(f"{operation}: response has no data", status=response.status_code)
        return data
