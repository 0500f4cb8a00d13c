"""The local API's HTTP server: waitress serving the gateway (local.stack.gateway), held to
API Gateway's limits.

What it cannot read whole (a malformed length or chunk, a body over 10 MB, headers over 10 KB,
a client too slow) is answered with the API's error body and a status that says why, never
HTML and never a silent close. Requests are read without blocking and handed whole to worker
threads, so a slow client never holds a worker.
"""

import json
import re
import socket
import threading
import time
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, get_header_lines
from waitress.rfc7230 import HEADER_FIELD_RE
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, WSGITask, hop_by_hop
from waitress.utilities import (
    BadRequest,
    Error,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    ServerNotImplemented,
)

from local.stack.gateway import LocalApiGateway
from local.stack.instances import INSTANCES_PER_FUNCTION

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


MAX_BODY_BYTES = 10 * 1024 * 1024
"""API Gateway's payload limit: a larger body gets the REQUEST_TOO_LARGE gateway response."""
MAX_HEADER_BYTES = 10 * 1024
"""API Gateway's limit on the request line and headers together: more gets REQUEST_TOO_LARGE."""
LINGER_SECONDS = 5
"""How long a refused request's remaining input is drained before the connection is closed."""
FIELDS = "local.header_fields"
"""The WSGI environment key of the request's header fields as the client sent them."""


class _RequestTimeoutError(Error):
    """A request not read whole within the read timeout."""

    code = 408
    reason = "Request Timeout"


def _error_body(code: str, message: str) -> bytes:
    """The API's error body, which the gateway's own refusals carry too."""
    return json.dumps({"error": {"code": code, "message": message}}).encode()


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _refusal(
    error: Error | None, gateway: LocalApiGateway
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a request the server could not read whole."""
    if isinstance(error, RequestHeaderFieldsTooLarge | RequestEntityTooLarge):
        too_large = gateway.answer("REQUEST_TOO_LARGE")
        return too_large.status, too_large.headers, too_large.body
    status, code, message = _unreadable(error)
    return status, [("Content-Type", "application/json")], _error_body(code, message)


def _unreadable(error: Error | None) -> tuple[int, str, str]:
    """Status, error code and message for a request malformed or too slow."""
    match error:
        case _RequestTimeoutError() | BadRequest():
            return error.code, "bad_request", error.body
        case ServerNotImplemented():  # a Transfer-Encoding other than chunked
            return 400, "bad_request", error.body
        case _:
            return 500, "internal_error", "Internal server error"


class _Request(HTTPRequestParser):
    """waitress's request parser, keeping the header fields as sent (names' case, order and
    repeats), which API Gateway passes on and a WSGI environment folds, and when the request
    began, for the read timeout."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.began = time.time()
        self.fields: list[tuple[str, str]] = []

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)  # raises on a malformed header: a 400
        _, _, block = header_plus.partition(b"\r\n")
        for line in get_header_lines(block):
            field = cast(re.Pattern[bytes], HEADER_FIELD_RE).match(line)
            if field is not None:
                name, value = field.group("name", "value")
                self.fields.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))


class _Task(WSGITask):
    def get_environment(self) -> "WSGIEnvironment":
        environ = super().get_environment()
        environ[FIELDS] = cast(_Request, self.request).fields
        return environ


class _ErrorTask(ErrorTask):
    """A request that could not be read whole (malformed, too large, too slow) is answered
    with the API's error body and a status that says why, and the connection is closed."""

    def execute(self) -> None:
        request = cast(_Request, self.request)
        gateway = cast(LocalApiServer, self.channel.server).gateway
        status, headers, body = _refusal(request.error, gateway)
        message = json.loads(body).get("error", {}).get("message", "")
        self.version = "1.1"  # the server's, whatever the request said (if it was read)
        self.status = _status_line(status)
        self.response_headers = list(headers)
        self.set_close_on_finish()
        cast(_Channel, self.channel).refused = True
        self.content_length = len(body)
        self.write(body)
        line = "- -"  # headers too large: the request line was never parsed
        if not isinstance(request.error, RequestHeaderFieldsTooLarge):
            line = f"{getattr(request, 'command', '-')} {getattr(request, 'request_uri', '-')}"
        print(f"{line} {status} ({message})", flush=True)


class _Channel(HTTPChannel):
    """A connection. After a refusal the client may still be sending what was refused; closing
    then would reset the connection and lose the answer, so the channel stops writing but keeps
    reading (and dropping) input until the client closes or LINGER_SECONDS pass."""

    parser_class = _Request
    task_class = _Task
    error_task_class = _ErrorTask
    refused = False
    lingering_until: float | None = None

    def handle_close(self) -> None:
        if self.refused and self.lingering_until is None and self.connected:
            try:
                cast(socket.socket, self.socket).shutdown(socket.SHUT_WR)
            except OSError:
                pass
            else:
                self.lingering_until = time.time() + LINGER_SECONDS
                self.will_close = False
                return
        super().handle_close()

    def readable(self) -> bool:
        return self.lingering_until is not None or super().readable()

    def writable(self) -> bool:
        return self.will_close if self.lingering_until is not None else super().writable()

    def handle_read(self) -> None:
        if self.lingering_until is None:
            super().handle_read()
            return
        data = self.recv(self.adj.recv_bytes)  # closes the channel itself on EOF or an error
        if data and time.time() > self.lingering_until and self.connected:
            super().handle_close()


def _forwarded(fields: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """The headers the function sees: a chunked body arrives whole, with its length."""
    if not any(name.lower() == "transfer-encoding" for name, _ in fields):
        return fields
    kept = [(n, v) for n, v in fields if n.lower() not in ("transfer-encoding", "content-length")]
    return [*kept, ("Content-Length", str(len(body)))]


class _GatewayApp:
    """The WSGI application: each request read whole by the server goes to the gateway."""

    def __init__(self, gateway: LocalApiGateway) -> None:
        self._gateway = gateway

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        started = time.monotonic()
        method: str = environ["REQUEST_METHOD"]
        target: str = environ["REQUEST_URI"]
        body: bytes = environ["wsgi.input"].read()
        result = self._gateway.handle(method, target, _forwarded(environ[FIELDS], body), body)
        headers = [
            (name, value)
            for name, value in result.headers
            if name.lower() not in hop_by_hop and name.lower() != "content-length"
        ]
        if result.body and not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", "application/json"))
        headers.append(("Content-Length", str(len(result.body))))
        start_response(_status_line(result.status), headers)
        elapsed = (time.monotonic() - started) * 1000
        print(f"{method} {target} {result.status} {elapsed:.0f} ms", flush=True)
        return [] if method == "HEAD" else [result.body]


class LocalApiServer(TcpWSGIServer):
    """waitress serving the gateway, with API Gateway's limits.

    Requests are read by one thread without blocking and handed whole (chunked bodies decoded)
    to a pool of worker threads, so a slow client never holds a worker; a request not read
    whole within `read_timeout` seconds is answered 408, and a connection idle that long is
    closed.
    """

    channel_class = _Channel

    def __init__(
        self, gateway: LocalApiGateway, host: str, port: int, threads: int, read_timeout: int
    ) -> None:
        self._connections: dict[int, Any] = {}
        self.gateway = gateway
        super().__init__(
            _GatewayApp(gateway),
            map=self._connections,
            adj=Adjustments(
                host=host,
                port=port,
                threads=threads,
                channel_timeout=read_timeout,
                cleanup_interval=1,
                max_request_header_size=MAX_HEADER_BYTES,
                max_request_body_size=MAX_BODY_BYTES + 1,
                connection_limit=1000,
                asyncore_use_poll=True,
                ident="",
            ),
        )
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="api", daemon=True)

    def maintenance(self, now: float) -> None:
        """Close idle connections (as waitress does), and answer a request that is still
        incomplete after the read timeout with a 408."""
        cutoff = now - self.adj.channel_timeout
        channels: dict[int, HTTPChannel] = cast(Any, self.active_channels)
        for channel in list(channels.values()):
            lingering_until = cast(_Channel, channel).lingering_until
            if lingering_until is not None:
                channel.will_close = lingering_until < now
                continue
            with cast(Any, channel).requests_lock:
                if channel.requests:  # being answered
                    continue
                request = cast(_Request | None, channel.request)
                if request is None:
                    if channel.last_activity < cutoff:
                        channel.will_close = True
                    continue
                if request.began >= cutoff:
                    continue
                request.error = _RequestTimeoutError(
                    f"the request was not received within {self.adj.channel_timeout} s"
                )
                request.completed = True
                channel.request = None
                cast(list[HTTPRequestParser], channel.requests).append(request)
            self.add_task(cast(Any, channel))

    def _serve(self) -> None:
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=1, map=self._connections, use_poll=True, count=1)
        finally:
            wasyncore.close_all(self._connections)
            self.task_dispatcher.shutdown()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, close every connection and stop the worker threads."""
        self._stopping.set()
        self.pull_trigger()
        self._thread.join(timeout=10)


def serve(
    gateway: LocalApiGateway, host: str, port: int, functions: int, read_timeout: int
) -> LocalApiServer:
    """A server with a worker for every instance the gateway's `functions` can run at once."""
    return LocalApiServer(gateway, host, port, INSTANCES_PER_FUNCTION * functions, read_timeout)
